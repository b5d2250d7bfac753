"""The bundled stack's task set: everyday questions and what each stage should say about them.

A question is one of three classes: an arithmetic word problem, a unit conversion, or another
question the stack declines. For each question this module writes every stage's prompt and
completion in the exact text the workflow's templates render (plugins/arith/templates), so a
model trained here reads at run time what it read in training.

    python3 training/taskgen.py eval   > cases.jsonl    # the evaluation cases (fslm eval format)
    python3 training/taskgen.py sample 5                # a few training examples, for a look

Splits: training examples come from a stream seeded with TRAIN_SEED over the training pools
of names, objects and declined topics; validation and evaluation use their own seeds, and
half of the evaluation cases use names, objects and topics held out of training altogether.
Training skips any question that occurs in validation or evaluation.
"""

import json
import random
import sys
from dataclasses import dataclass, field

import vocabulary as V

TRAIN_SEED, VALIDATION_SEED, EVAL_SEED = 1, 2, 3
STAGES = ["route", "plan", "compute", "convert", "answer", "direct"]


@dataclass
class Question:
    """One question and everything the stages should say about it."""
    text: str
    kind: str                      # arithmetic | conversion | other
    answer: str                    # the final sentence
    result: str = ""               # the number the answer must end with ("" for other)
    plan: str = ""                 # arithmetic only
    equation: str = ""             # arithmetic only
    conversion: str = ""           # conversion only
    op: str = ""                   # + - * / for arithmetic, the unit pair for conversions
    tags: list[str] = field(default_factory=list)


# (question, answer) templates per operation; {n} and {m} are names, {o} objects, {a} {b}
# the operands in the order the question gives them, {c} the result.
ARITHMETIC = {
    "+": [
        ("{n} had {a} {o} and found {b} more. How many {o} does {n} have now?", "{n} has {c} {o} now."),
        ("{n} has {a} {o}. A friend gives {n} {b} more. How many {o} does {n} have?", "{n} has {c} {o}."),
        ("There are {a} {o} in a box. {n} puts in {b} more. How many {o} are in the box now?", "There are {c} {o} in the box now."),
        ("{n} collected {a} {o} on Monday and {b} on Tuesday. How many {o} did {n} collect in all?", "{n} collected {c} {o} in all."),
        ("{n} has {a} {o} and {m} has {b} {o}. How many {o} do they have together?", "They have {c} {o} together."),
        ("{n} bought {a} {o} and then bought {b} more. How many {o} did {n} buy?", "{n} bought {c} {o}."),
    ],
    "-": [
        ("{n} had {a} {o} and gave {b} to a friend. How many {o} does {n} have now?", "{n} has {c} {o} now."),
        ("{n} had {a} {o} and lost {b}. How many {o} are left?", "{n} has {c} {o} left."),
        ("There are {a} {o} on a shelf. {n} takes {b} away. How many {o} are on the shelf now?", "There are {c} {o} on the shelf now."),
        ("{n} has {a} {o} and {m} has {b} {o}. How many more {o} does {n} have than {m}?", "{n} has {c} more {o} than {m}."),
        ("{n} made {a} {o} and sold {b}. How many {o} does {n} still have?", "{n} still has {c} {o}."),
        ("{n} needs {a} {o} and already has {b}. How many more {o} does {n} need?", "{n} needs {c} more {o}."),
    ],
    "*": [
        ("{n} has {a} bags with {b} {o} in each bag. How many {o} does {n} have?", "{n} has {c} {o}."),
        ("There are {a} rows of {o} with {b} in each row. How many {o} are there?", "There are {c} {o}."),
        ("{n} buys {a} packs of {o}. Each pack holds {b} {o}. How many {o} does {n} buy?", "{n} buys {c} {o}."),
        ("Each of {a} children has {b} {o}. How many {o} do the children have altogether?", "The children have {c} {o} altogether."),
        ("{n} gets {a} {o} every day for {b} days. How many {o} does {n} get?", "{n} gets {c} {o}."),
    ],
    "/": [
        ("{n} shares {a} {o} equally among {b} friends. How many {o} does each friend get?", "Each friend gets {c} {o}."),
        ("{a} {o} are packed into boxes of {b}. How many boxes are filled?", "They fill {c} boxes."),
        ("{n} splits {a} {o} into {b} equal groups. How many {o} are in each group?", "Each group has {c} {o}."),
        ("{n} has {a} {o} and puts {b} in each jar. How many jars does {n} fill?", "{n} fills {c} jars."),
        ("{a} {o} are shared equally by {b} children. How many {o} does each child get?", "Each child gets {c} {o}."),
    ],
}

PLANS = {"+": "add {b} to {a}", "-": "subtract {b} from {a}", "*": "multiply {a} by {b}", "/": "divide {a} by {b}"}

CONVERSION = [
    ("How many {tw} are in {x} {fw}?", "{x} {fw} is {y} {tw}."),
    ("Convert {x} {fw} to {tw}.", "{x} {fw} is {y} {tw}."),
    ("{n} measured {x} {fw}. How many {tw} is that?", "That is {y} {tw}."),
    ("What is {x} {fw} in {tw}?", "{x} {fw} is {y} {tw}."),
]

NUMBERED_OTHER = ["What happened in the year {y}?", "Who won the big race in {y}?"]


def operands(op: str, rng: random.Random) -> tuple[int, int, int]:
    """Operands and result: sums and differences within 2..99, products up to 12 x 12, exact division."""
    if op == "+":
        a = rng.randint(2, 97)
        b = rng.randint(2, 99 - a)
        return a, b, a + b
    if op == "-":
        a = rng.randint(3, 99)
        b = rng.randint(1, a - 2)
        return a, b, a - b
    if op == "*":
        a, b = rng.randint(2, 12), rng.randint(2, 12)
        return a, b, a * b
    b, c = rng.randint(2, 12), rng.randint(2, 12)
    return b * c, b, c


def arithmetic(rng: random.Random, names: list[str], objects: list[str]) -> Question:
    op = rng.choice("+-*/")
    question, answer = rng.choice(ARITHMETIC[op])
    n, m = rng.sample(names, 2)
    a, b, c = operands(op, rng)
    slots = dict(n=n, m=m, o=rng.choice(objects), a=a, b=b, c=c)
    return Question(
        text=question.format(**slots), kind="arithmetic", answer=answer.format(**slots), result=str(c),
        plan=PLANS[op].format(**slots), equation=f"{a} {op} {b} = {c}", op=op)


def conversion(rng: random.Random, names: list[str]) -> Question:
    units = {u[0]: u for u in V.UNITS}
    f, t = rng.choice(V.CONVERSIONS)
    _, fw, fsize, _ = units[f]
    _, tw, tsize, _ = units[t]
    if fsize > tsize:
        x = rng.randint(2, 20)
        y = x * fsize // tsize
    else:
        y = rng.randint(2, 20)
        x = y * tsize // fsize
    question, answer = rng.choice(CONVERSION)
    slots = dict(n=rng.choice(names), x=x, y=y, fw=fw, tw=tw)
    return Question(
        text=question.format(**slots), kind="conversion", answer=answer.format(**slots), result=str(y),
        conversion=f"{x} {f} = {y} {t}", op=f"{f}->{t}")


def other(rng: random.Random, held_out: bool) -> Question:
    if rng.random() < 0.15:
        years = [y for y in range(1900, 2030) if (y % 2 == 1) == held_out]
        text = rng.choice(NUMBERED_OTHER).format(y=rng.choice(years))
    else:
        template, train, held = rng.choice(V.other_slots())
        text = template.format(rng.choice(held if held_out else train))
    return Question(text=text, kind="other", answer=V.DECLINE)


def question(rng: random.Random, held_out: bool = False, kind: str | None = None) -> Question:
    """One question; `kind` None draws arithmetic 60%, conversion 25%, other 15%."""
    names = V.NAMES_HELD_OUT if held_out else V.NAMES_TRAIN
    objects = V.OBJECTS_HELD_OUT if held_out else V.OBJECTS_TRAIN
    if kind is None:
        r = rng.random()
        kind = "arithmetic" if r < 0.6 else "conversion" if r < 0.85 else "other"
    if kind == "arithmetic":
        q = arithmetic(rng, names, objects)
    elif kind == "conversion":
        q = conversion(rng, names)
    else:
        q = other(rng, held_out)
    q.tags = [q.kind, "held-out" if held_out else "seen"]
    return q


# The prompts, exactly as plugins/arith/templates render them.

def route_prompt(q: str) -> str: return f"Question: {q}\nKind:"
def plan_prompt(q: str) -> str: return f"Question: {q}\nPlan:"
def direct_prompt(q: str) -> str: return f"Question: {q}\nAnswer:"
def answer_prompt(q: str, working: str) -> str: return f"Question: {q}\nWorking: {working}\nAnswer:"


def compute_prompt(plan: str, feedback: str = "") -> str:
    extra = f"Your last equation was wrong: {feedback}\n" if feedback else ""
    return f"Plan: {plan}\n{extra}Equation:"


def convert_prompt(q: str, feedback: str = "") -> str:
    extra = f"Your last conversion was wrong: {feedback}\n" if feedback else ""
    return f"Question: {q}\n{extra}Conversion:"


def wrong_number(value: int, rng: random.Random) -> int:
    """A plausible slip: off by one, off by ten, or two digits swapped."""
    candidates = {value + 1, value - 1, value + 10, value - 10, int(str(value)[::-1])}
    candidates.discard(value)
    return rng.choice(sorted(c for c in candidates if c >= 0) or [value + 1])


def examples(q: Question, rng: random.Random, feedback_rate: float = 0.15) -> list[tuple[str, str, str]]:
    """Every (stage, prompt, completion) this question teaches. Feedback messages are the
    ones arith.equation_holds and arith.conversion_holds write for a slip."""
    out = [("route", route_prompt(q.text), " " + q.kind), ("direct", direct_prompt(q.text), " " + q.answer)]
    if q.kind == "arithmetic":
        out.append(("plan", plan_prompt(q.text), " " + q.plan))
        feedback = ""
        if rng.random() < feedback_rate:
            lhs, c = q.equation.split(" = ")
            feedback = f"{lhs} = {wrong_number(int(c), rng)} does not hold"
        out.append(("compute", compute_prompt(q.plan, feedback), " " + q.equation))
        out.append(("answer", answer_prompt(q.text, q.equation), " " + q.answer))
    elif q.kind == "conversion":
        feedback = ""
        if rng.random() < feedback_rate:
            lhs, rhs = q.conversion.split(" = ")
            y, unit = rhs.split(" ")
            feedback = f"{lhs} = {wrong_number(int(y), rng)} {unit} does not hold"
        out.append(("convert", convert_prompt(q.text, feedback), " " + q.conversion))
        out.append(("answer", answer_prompt(q.text, q.conversion), " " + q.answer))
    return out


def held_out_questions(seed: int, count: int, excluded: frozenset[str] = frozenset()) -> list[Question]:
    """A fixed split: `count` distinct questions not in `excluded`, half with held-out names,
    objects and topics, in the class proportions 60/25/15."""
    rng = random.Random(seed)
    kinds = ["arithmetic"] * (count * 60 // 100) + ["conversion"] * (count * 25 // 100)
    kinds += ["other"] * (count - len(kinds))
    seen: set[str] = set()
    result = []
    for index, kind in enumerate(kinds):
        while True:
            q = question(rng, held_out=index % 2 == 0, kind=kind)
            if q.text not in seen and q.text not in excluded:
                break
        seen.add(q.text)
        result.append(q)
    return result


def eval_split() -> list[Question]: return held_out_questions(EVAL_SEED, 300)


def validation_split() -> list[Question]:
    return held_out_questions(VALIDATION_SEED, 300, frozenset(q.text for q in eval_split()))


def training_stream(seed: int = TRAIN_SEED):
    """Endless training questions over the training pools, never one of the held-out splits."""
    excluded = {q.text for q in validation_split() + eval_split()}
    rng = random.Random(seed)
    while True:
        q = question(rng)
        if q.text not in excluded:
            yield q, rng


def eval_case(q: Question) -> dict:
    """One line of `fslm eval --data`: the number for arithmetic and conversions, the exact
    decline otherwise."""
    if q.kind == "other":
        return {"inputs": {"question": q.text}, "expect": {"answer": q.answer}, "metric": "exact", "tags": q.tags}
    return {"inputs": {"question": q.text}, "expect": {"answer": q.result}, "metric": "number", "tags": q.tags}


def main(argv: list[str]) -> int:
    if len(argv) >= 1 and argv[0] in ("eval", "validation"):
        split = eval_split() if argv[0] == "eval" else validation_split()
        random.Random(0).shuffle(split)  # classes mixed, so the first lines are a fair sample
        for q in split:
            print(json.dumps(eval_case(q), ensure_ascii=False))
        return 0
    if len(argv) >= 1 and argv[0] == "sample":
        stream = training_stream()
        for _ in range(int(argv[1]) if len(argv) > 1 else 3):
            q, rng = next(stream)
            for stage, prompt, completion in examples(q, rng):
                print(f"--- {stage}\n{prompt}{completion}")
        return 0
    print("usage: taskgen.py eval | validation | sample [N]", file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
