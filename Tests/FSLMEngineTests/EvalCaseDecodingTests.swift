import FSLMEngine
import FSLMTestSupport
import FSLMWorkflow
import Testing

/// Reading a cases file (JSON lines) and checking it against a workflow's outputs.
@Suite struct EvalCaseDecodingTests {
    private func decode(_ text: String) throws(EvalCasesError) -> [EvalCase] {
        try EvalCase.decode(jsonLines: Array(text.utf8))
    }

    /// Every problem as `LINE:COL: message`.
    private func problems(_ text: String) -> [String] {
        do {
            _ = try decode(text)
            return []
        } catch {
            return error.problems.map { "\($0.line):\($0.column): \($0.message)" }
        }
    }

    @Test func readsEveryFieldAndSkipsBlankLines() throws {
        let cases = try decode("""
            \u{FEFF}{"inputs": {"question": "What is 3 + 5?", "n": 2, "xs": [1, "a"]}, "expect": {"answer": "8"}}

            {"expect": {"answer": 42, "ratio": 0.5}, "metric": "number", "tags": ["arithmetic", "held-out"]}\r
               \t
            {"inputs": {}, "expect": {"answer": "yes"}, "metric": "contains"}
            """)
        #expect(cases == [
            EvalCase(line: 1, inputs: ["question": .string("What is 3 + 5?"), "n": .number(2), "xs": .array([.number(1), .string("a")])],
                     expect: ["answer": "8"]),
            EvalCase(line: 3, expect: ["answer": "42", "ratio": "0.5"], metric: .number, tags: ["arithmetic", "held-out"]),
            EvalCase(line: 5, expect: ["answer": "yes"], metric: .contains),
        ])
    }

    @Test func syntaxErrorsNameLineAndColumn() {
        let text = """
            {"expect": {"a": "1"}}
            {"expect": {"a": "1"}
            {"expect": {"a": "1"},}
            {"inputs": {"q": "héllo"} "expect": {"a": "1"}}
            {"expect": {"a": "1"}, "expect": {"a": "2"}}
            not json
            """
        #expect(problems(text) == [
            "2:22: invalid JSON: unexpected end, expected ',' or '}'",
            "3:23: invalid JSON: expected a key in quotes",
            "4:27: invalid JSON: expected ',' or '}'",  // columns count characters: é is one
            "5:24: invalid JSON: duplicate key 'expect'",
            "6:2: invalid JSON: expected a value",  // after the "n" of a null
        ])
    }

    @Test func shapeErrorsAreReportedForEveryLine() {
        let text = """
            [1, 2]
            {"inputs": {"q": "x"}}
            {"expected": {"a": "1"}}
            {"expect": {"a": true}, "metric": "exakt", "tags": ["ok", 3]}
            {"expect": {}, "inputs": "q=x", "metric": 1}
            """
        #expect(problems(text) == [
            "1:1: a case must be a JSON object, got a list",
            "2:1: a case needs 'expect', an object of output names and expected values",
            "3:1: unknown key 'expected' (a case has inputs, expect, metric, tags); did you mean 'expect'?",
            "3:1: a case needs 'expect', an object of output names and expected values",
            "4:1: 'expect' gives 'a' as a boolean; expected a string or a number",
            "4:1: unknown metric 'exakt' (exact, contains or number); did you mean 'exact'?",
            "4:1: 'tags' must be a list of strings; it holds a number",
            "5:1: 'expect' is empty; name at least one output and its expected value",
            "5:1: 'inputs' must be an object, got a string",
            "5:1: 'metric' must be a string, got a number",
        ])
    }

    @Test func emptyFileHasNoCases() throws {
        #expect(try decode("").isEmpty)
        #expect(try decode("\n  \n").isEmpty)
    }

    @Test func expectMustNameOutputsAndNumbersMustBeNumbers() {
        let cases = [
            EvalCase(line: 1, expect: ["answer": "8"]),
            EvalCase(line: 2, expect: ["answr": "8", "route": "x"]),
            EvalCase(line: 3, expect: ["answer": "eight"], metric: .number),
            EvalCase(line: 4, expect: ["answer": "eight"]),
        ]
        let found = EvalCase.problems(cases, workflow: "w.yaml", outputs: ["answer", "route"], metric: .exact).map { "\($0.line): \($0.message)" }
        #expect(found == [
            "2: 'expect' names 'answr', which is not an output of w.yaml (its outputs: answer, route); did you mean 'answer'?",
            "3: 'expect' gives 'answer' as \"eight\", which is not a number (the metric is number)",
        ])
        let underNumber = EvalCase.problems([cases[3]], workflow: "w.yaml", outputs: ["answer"], metric: .number)
        #expect(underNumber.map { $0.rendered(path: "cases.jsonl") } == [
            "cases.jsonl:4:1: error: 'expect' gives 'answer' as \"eight\", which is not a number (the metric is number)",
        ])
    }

    @Test func outputNamesAreDeclaredOutputsElseFinalStages() throws {
        let declared = try #require(WorkflowText.load(WorkflowText.withStages("  a: { prompt: p }\n") + "outputs:\n  x: \"{{stages.a.output}}\"\n").workflow)
        #expect(declared.outputNames == ["x"])
        let finals = try #require(WorkflowText.load(WorkflowText.withStages("""
              a: { prompt: p }
              b: { needs: [a], prompt: p }
              c: { prompt: p }
            """)).workflow)
        #expect(finals.outputNames == ["b", "c"])
    }
}
