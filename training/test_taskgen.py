"""Tests of the task generator (standard library only): python3 -m unittest discover training"""

import itertools
import json
import pathlib
import random
import re
import unittest

import taskgen
import vocabulary as V

SIZES = {symbol: (size, kind) for symbol, _, size, kind in V.UNITS}


def last_number(text: str) -> str:
    return re.findall(r"-?\d+", text)[-1]


class SplitTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.eval = taskgen.eval_split()
        cls.validation = taskgen.validation_split()
        cls.train = [q for q, _ in itertools.islice(taskgen.training_stream(), 20_000)]

    def test_splits_are_disjoint(self):
        eval_texts = {q.text for q in self.eval}
        validation_texts = {q.text for q in self.validation}
        train_texts = {q.text for q in self.train}
        self.assertEqual(len(eval_texts), 300)
        self.assertEqual(len(validation_texts), 300)
        self.assertFalse(eval_texts & validation_texts)
        self.assertFalse(eval_texts & train_texts)
        self.assertFalse(validation_texts & train_texts)

    def test_name_and_object_pools_are_disjoint(self):
        self.assertFalse(set(V.NAMES_TRAIN) & set(V.NAMES_HELD_OUT))
        self.assertFalse(set(V.OBJECTS_TRAIN) & set(V.OBJECTS_HELD_OUT))

    def test_training_never_uses_a_held_out_name_or_object(self):
        held = set(V.NAMES_HELD_OUT) | set(V.OBJECTS_HELD_OUT)
        for q in self.train[:5000]:
            words = set(re.findall(r"[A-Za-z]+", q.text))
            self.assertFalse(words & held, q.text)

    def test_held_out_eval_cases_use_held_out_names_or_objects(self):
        held = set(V.NAMES_HELD_OUT) | set(V.OBJECTS_HELD_OUT)
        arithmetic = [q for q in self.eval if q.kind == "arithmetic" and "held-out" in q.tags]
        self.assertGreater(len(arithmetic), 80)
        for q in arithmetic:
            self.assertTrue(set(re.findall(r"[A-Za-z]+", q.text)) & held, q.text)

    def test_class_proportions(self):
        kinds = [q.kind for q in self.eval]
        self.assertEqual((kinds.count("arithmetic"), kinds.count("conversion"), kinds.count("other")), (180, 75, 45))

    def test_generation_is_deterministic(self):
        self.assertEqual([q.text for q in taskgen.eval_split()], [q.text for q in self.eval])
        again = [q.text for q, _ in itertools.islice(taskgen.training_stream(), 100)]
        self.assertEqual(again, [q.text for q in self.train[:100]])


class LabelTests(unittest.TestCase):
    def questions(self):
        return taskgen.eval_split() + [q for q, _ in itertools.islice(taskgen.training_stream(), 5000)]

    def test_arithmetic_labels_are_consistent(self):
        for q in (q for q in self.questions() if q.kind == "arithmetic"):
            a, op, b, eq, c = q.equation.split()
            self.assertEqual(eq, "=")
            value = {"+": int(a) + int(b), "-": int(a) - int(b), "*": int(a) * int(b)}.get(op)
            if op == "/":
                self.assertEqual(int(a) % int(b), 0, q.equation)
                value = int(a) // int(b)
            self.assertEqual(value, int(c), q.equation)
            self.assertEqual(q.result, c)
            self.assertEqual(last_number(q.answer), c, q.answer)
            self.assertEqual(sorted(re.findall(r"\d+", q.plan)), sorted([a, b]), q.plan)
            self.assertIn(q.plan.split()[0], {"add", "subtract", "multiply", "divide"})
            for n in (a, b):
                self.assertIn(n, re.findall(r"\d+", q.text), q.text)

    def test_ranges(self):
        for q in (q for q in self.questions() if q.kind == "arithmetic"):
            a, op, b, _, c = q.equation.split()
            a, b, c = int(a), int(b), int(c)
            if op in "+-":
                self.assertTrue(max(a, b, c) <= 99 and min(a, b, c) >= 1, q.equation)
            else:
                product = (a, b) if op == "*" else (b, c)
                self.assertTrue(all(2 <= n <= 12 for n in product), q.equation)

    def test_conversions_hold(self):
        for q in (q for q in self.questions() if q.kind == "conversion"):
            x, f, eq, y, t = q.conversion.split()
            self.assertEqual(eq, "=")
            self.assertEqual(SIZES[f][1], SIZES[t][1], q.conversion)
            self.assertEqual(int(x) * SIZES[f][0], int(y) * SIZES[t][0], q.conversion)
            self.assertEqual(last_number(q.answer), y, q.answer)
            self.assertIn(x, q.text)

    def test_other_questions_are_declined(self):
        others = [q for q in self.questions() if q.kind == "other"]
        self.assertTrue(others)
        for q in others:
            self.assertEqual(q.answer, V.DECLINE)

    def test_examples_match_the_templates(self):
        q = taskgen.Question(text="Mia had 14 stickers and gave 6 to a friend. How many stickers does Mia have now?",
                             kind="arithmetic", answer="Mia has 8 stickers now.", result="8",
                             plan="subtract 6 from 14", equation="14 - 6 = 8", op="-")
        got = {stage: (prompt, completion) for stage, prompt, completion in taskgen.examples(q, random.Random(0), 0.0)}
        self.assertEqual(got["route"], (f"Question: {q.text}\nKind:", " arithmetic"))
        self.assertEqual(got["plan"], (f"Question: {q.text}\nPlan:", " subtract 6 from 14"))
        self.assertEqual(got["compute"], ("Plan: subtract 6 from 14\nEquation:", " 14 - 6 = 8"))
        self.assertEqual(got["answer"], (f"Question: {q.text}\nWorking: 14 - 6 = 8\nAnswer:", " Mia has 8 stickers now."))
        self.assertEqual(got["direct"], (f"Question: {q.text}\nAnswer:", " Mia has 8 stickers now."))

    def test_feedback_names_a_wrong_result(self):
        q = next(q for q in taskgen.eval_split() if q.kind == "arithmetic")
        compute = [p for s, p, _ in taskgen.examples(q, random.Random(0), 1.0) if s == "compute"][0]
        message = re.search(r"Your last equation was wrong: (.*) does not hold\n", compute)
        self.assertIsNotNone(message, compute)
        self.assertNotEqual(message.group(1), q.equation)

    def test_committed_cases_are_the_generators(self):
        for name in ("eval", "validation"):
            path = pathlib.Path(__file__).with_name("data") / f"{name}.jsonl"
            lines = [json.loads(line) for line in path.read_text().splitlines()]
            split = taskgen.eval_split() if name == "eval" else taskgen.validation_split()
            random.Random(0).shuffle(split)
            self.assertEqual(lines, [taskgen.eval_case(q) for q in split], f"{path}: rerun taskgen.py {name}")

    def test_eval_cases(self):
        for q in taskgen.eval_split():
            case = taskgen.eval_case(q)
            self.assertEqual(case["inputs"], {"question": q.text})
            self.assertEqual(case["metric"], "exact" if q.kind == "other" else "number")
            self.assertEqual(case["expect"]["answer"], q.answer if q.kind == "other" else q.result)


if __name__ == "__main__":
    unittest.main()
