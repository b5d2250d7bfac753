import FSLMTestSupport
import Foundation
import Testing

/// The bundled stack (`workflows/fslm-stack.yaml` over the committed `models/fslm-tiny`) run
/// by the binary, greedy, against an independent reference: `Tests/Fixtures/stack/expected.json`
/// holds every stage's output as transformers + peft give it (make_stack_golden.py) and the
/// true answer of each question.
@Suite struct BundledStackTests {
    struct Golden: Decodable {
        struct Case: Decodable, CustomTestStringConvertible {
            var question: String
            var truth: String
            var stages: [String: String]
            var testDescription: String { question }
        }
        var cases: [Case]
    }

    static let golden: [Golden.Case] = {
        let url = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/stack/expected.json")
        guard let data = try? Data(contentsOf: url), let golden = try? JSONDecoder().decode(Golden.self, from: data) else { return [] }
        return golden.cases
    }()

    static let decline = "Sorry, I can only help with arithmetic word problems and unit conversions."

    @Test func goldenFileHasEveryBranch() {
        let routes = Set(Self.golden.map { $0.stages["route"] ?? "" })
        #expect(routes == ["arithmetic", "conversion", "other"])
    }

    /// Every stage says what transformers says, in one attempt, and the answer is right.
    @Test(arguments: golden)
    func stackReproducesTheReferenceAndAnswersRight(_ golden: Golden.Case) throws {
        let run = try CLI.run(["run", "workflows/fslm-stack.yaml", "--input", "question=\(golden.question)", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try RunReport.decode(run.stdout)
        for (stage, output) in golden.stages {
            #expect(report.stages[stage]?.output == output, "stage '\(stage)'")
            #expect(report.stages[stage]?.attempts == 1, "stage '\(stage)'")
        }
        let modelStages: Set = ["route", "plan", "compute", "convert", "answer"]
        let ran = Set(report.stages.filter { $0.value.attempts > 0 }.keys).intersection(modelStages)
        #expect(ran == Set(golden.stages.keys), "the same branch as the reference")
        let answer = try #require(report.outputs["answer"])
        if golden.truth == Self.decline {
            #expect(answer == Self.decline)
        } else {
            #expect(lastNumber(answer) == golden.truth, "\(answer)")
        }
    }

    /// The same stack with its weights quantized to int8 at load (`dtype: q8` on the model):
    /// every stage still says what transformers says with the f32 weights, and the answer is
    /// right. (On the 300 evaluation cases, q8 changes one case's outputs: docs/performance.md.)
    @Test(arguments: golden)
    func q8WeightsKeepTheReferenceOutputs(_ golden: Golden.Case) throws {
        let root = Fixtures.packageRoot.path
        let yaml = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("workflows/fslm-stack.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "    path: ../models/fslm-tiny\n", with: "    path: ../models/fslm-tiny\n    dtype: q8\n")
            .replacingOccurrences(of: "../models/", with: root + "/models/")
        #expect(yaml.contains("dtype: q8"))
        let workflow = try ScratchFile("fslm-stack-q8.yaml")
        defer { workflow.remove() }
        try yaml.write(to: workflow.url, atomically: false, encoding: .utf8)
        let run = try CLI.run(["run", workflow.path, "--input", "question=\(golden.question)", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try RunReport.decode(run.stdout)
        for (stage, output) in golden.stages {
            #expect(report.stages[stage]?.output == output, "stage '\(stage)'")
        }
    }

    /// `fslm eval` on the first 20 evaluation cases: what it reports agrees with its own
    /// per-case results, and each result agrees with the case's metric applied to the output.
    @Test func evalOnTwentyCasesReportsWhatItsResultsSay() throws {
        let lines = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("training/data/eval.jsonl"), encoding: .utf8)
            .split(separator: "\n").prefix(20)
        let cases = try ScratchFile("cases.jsonl")
        defer { cases.remove() }
        try (lines.joined(separator: "\n") + "\n").write(to: cases.url, atomically: false, encoding: .utf8)

        let run = try CLI.run(["eval", "workflows/fslm-stack.yaml", "--data", cases.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try EvalJSON.decode(run.stdout)
        #expect(report.cases == 20 && report.results.count == 20)
        #expect(report.passed == report.results.count(where: \.passed))
        #expect(report.accuracy == Double(report.passed) / 20)
        for result in report.results {
            let output = try #require(result.outputs["answer"]), expected = try #require(result.expect["answer"])
            let holds = result.metric == "number" ? lastNumber(output) == expected : output == expected
            #expect(result.passed == (holds && result.error == nil), "line \(result.line): \(output)")
        }
    }

    @Test func directBaselineRunsOnTheSameModel() throws {
        let question = try #require(Self.golden.first?.question)
        let run = try CLI.run(["run", "workflows/fslm-direct.yaml", "--input", "question=\(question)", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try RunReport.decode(run.stdout)
        #expect(report.stages["answer"]?.attempts == 1)
        #expect(!(report.outputs["answer"] ?? "").isEmpty)
    }

    /// The last whole number in `text` ("Mia has 8 stickers now." → "8").
    private func lastNumber(_ text: String) -> String? {
        text.matches(of: #/-?\d+/#).last.map { String($0.output) }
    }
}
