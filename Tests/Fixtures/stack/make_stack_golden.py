"""Golden outputs of the bundled stack (workflows/fslm-stack.yaml) from an independent
reference: transformers + peft run each stage of models/fslm-tiny greedily, with the stage's
adapter, on the prompts the workflow's templates render, following the workflow's branches.

    .venv/bin/python Tests/Fixtures/stack/make_stack_golden.py   # writes expected.json here

Each entry holds the question, every stage's output, and the true answer (from the task
generator), so a test can check both that fslm's native core reproduces transformers and that
the stack answers these questions right.
"""

import json
import pathlib
import sys

import torch
from peft import PeftModel
from tokenizers import Tokenizer
from transformers import GPTNeoXForCausalLM

root = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(root / "training"))
import taskgen  # noqa: E402

MODEL = root / "models" / "fslm-tiny"
DECLINE = "Sorry, I can only help with arithmetic word problems and unit conversions."
QUESTIONS = [
    ("Mia had 14 stickers and gave 6 to a friend. How many stickers does Mia have now?", "8"),
    ("Leo collected 38 shells on Monday and 27 on Tuesday. How many shells did Leo collect in all?", "65"),
    ("There are 7 rows of chairs with 8 in each row. How many chairs are there?", "56"),
    ("Ava shares 54 cookies equally among 9 friends. How many cookies does each friend get?", "6"),
    ("How many grams are in 3 kilograms?", "3000"),
    ("Convert 180 minutes to hours.", "3"),
    ("What is the capital of France?", DECLINE),
]


def main() -> None:
    torch.set_num_threads(2)
    tokenizer = Tokenizer.from_file(str(MODEL / "tokenizer.json"))
    eos = tokenizer.token_to_id("<|endoftext|>")
    base = GPTNeoXForCausalLM.from_pretrained(str(MODEL))
    model = PeftModel.from_pretrained(base, str(MODEL / "adapters" / "route"), adapter_name="route")
    for stage in ["plan", "compute", "convert", "answer"]:
        model.load_adapter(str(MODEL / "adapters" / stage), adapter_name=stage)
    model.eval()

    @torch.no_grad()
    def run(stage: str, prompt: str) -> str:
        model.set_adapter(stage)
        ids, out = tokenizer.encode(prompt).ids, []
        for _ in range(32):
            token = int(model(input_ids=torch.tensor([ids + out])).logits[0, -1].argmax())
            if token == eos or "\n" in tokenizer.decode([token]):
                break
            out.append(token)
        return tokenizer.decode(out).strip()

    cases = []
    for question, truth in QUESTIONS:
        stages = {"route": run("route", taskgen.route_prompt(question))}
        if stages["route"] == "arithmetic":
            stages["plan"] = run("plan", taskgen.plan_prompt(question))
            stages["compute"] = run("compute", taskgen.compute_prompt(stages["plan"]))
            working = stages["compute"]
        elif stages["route"] == "conversion":
            stages["convert"] = run("convert", taskgen.convert_prompt(question))
            working = stages["convert"]
        if stages["route"] in ("arithmetic", "conversion"):
            stages["answer"] = run("answer", taskgen.answer_prompt(question, working))
        cases.append({"question": question, "truth": truth, "stages": stages})
        print(json.dumps(cases[-1]), file=sys.stderr)
    path = pathlib.Path(__file__).with_name("expected.json")
    path.write_text(json.dumps({"model": "models/fslm-tiny", "cases": cases}, indent=1) + "\n")


if __name__ == "__main__":
    main()
