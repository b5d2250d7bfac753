import FSLMTestSupport
import Foundation
import Testing

/// `validate`, `dry-run` and `graph` on the example workflows (`workflows/*.yaml`) and on the
/// valid edge cases (`Tests/Fixtures/workflows/valid/*.yaml`).
@Suite struct CLIWorkflowTests {
    /// Package-relative paths of the YAML files in `folder`, sorted.
    private static func workflows(in folder: String) -> [String] {
        let url = Fixtures.packageRoot.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(folder)/\($0)" }
    }

    static let examples = workflows(in: "workflows")
    static let validFixtures = workflows(in: "Tests/Fixtures/workflows/valid")

    @Test func examplesAndValidFixturesAreFound() {
        #expect(Self.examples.count >= 3, "\(Self.examples)")
        #expect(Self.validFixtures.count >= 5, "\(Self.validFixtures)")
    }

    @Test(arguments: examples + validFixtures)
    func validatesCleanly(_ path: String) throws {
        let text = try CLI.run(["validate", path])
        #expect(text.status == 0, "\(path):\n\(text.stderr)")
        #expect(text.stderr.isEmpty, "\(path) should have no diagnostics:\n\(text.stderr)")
        #expect(text.stdout.hasPrefix("\(path): valid ("), "\(text.stdout)")

        let json = try CLI.run(["validate", "--format", "json", path])
        #expect(json.status == 0)
        #expect(try ReportedDiagnostic.decodeList(json.stdout).isEmpty, "\(path): \(json.stdout)")
    }

    /// `--input NAME=3` for every input a dry-run without inputs reports missing.
    private func sampleInputs(_ path: String) throws -> [String] {
        let bare = try CLI.run(["dry-run", path, "--json"])
        try #require(bare.status == 0, "\(path): \(bare.stderr)")
        return try DryRunReport.decode(bare.stdout).missingInputs.flatMap { ["--input", "\($0)=3"] }
    }

    @Test(arguments: examples + validFixtures)
    func dryRunPlansEveryStageAfterItsNeeds(_ path: String) throws {
        let inputs = try sampleInputs(path)
        let graph = try CLI.run(["graph", path, "--format", "text"])
        let outline = try #require(GraphOutline(graph.stdout), "\(path): unreadable graph:\n\(graph.stdout)")

        let json = try CLI.run(["dry-run", path, "--json"] + inputs)
        #expect(json.status == 0, "\(path): \(json.stderr)")
        #expect(json.stderr.isEmpty, "\(path): \(json.stderr)")
        let plan = try DryRunReport.decode(json.stdout)
        #expect(plan.workflow == outline.name)
        #expect(plan.missingInputs.isEmpty && plan.unknownInputs.isEmpty)
        let order = plan.steps.map(\.stage)
        #expect(order.sorted() == outline.stages.sorted(), "\(path): planned \(order), graph has \(outline.stages)")
        for (position, stage) in order.enumerated() {
            let needs = outline.after[stage] ?? []
            #expect(needs.allSatisfy { order.prefix(position).contains($0) }, "\(path): '\(stage)' planned before one of \(needs)")
        }

        let text = try CLI.run(["dry-run", path] + inputs)
        #expect(text.status == 0, "\(path): \(text.stderr)")
        #expect(text.stdout.hasPrefix("Dry run of workflow '\(plan.workflow)': \(order.count) stage"), "\(text.stdout)")
        var rest = Substring(text.stdout)
        for (position, stage) in order.enumerated() {
            let heading = "\n\(position + 1). \(stage): "
            let found = try #require(rest.range(of: heading), "\(path): no '\(heading.dropFirst())' in order in:\n\(text.stdout)")
            rest = rest[found.upperBound...]
        }
    }

    @Test func routerPlansInDependencyOrderAndFollowsAssumedOutputs() throws {
        let run = try CLI.run(["dry-run", "workflows/router.yaml", "--json", "--input", "question=How many grams in 3 kg?",
                               "--assume", "route=conversion"])
        #expect(run.status == 0, "\(run.stderr)")
        let plan = try DryRunReport.decode(run.stdout)
        #expect(plan.steps.map(\.stage) == ["route", "compute", "convert", "decline", "answer", "reply"])
        #expect(plan.steps.map(\.decision) == ["run", "skip", "run", "skip", "run", "run"])
        #expect(plan.steps[0].rendered == "Question: How many grams in 3 kg?\nKind:")
        #expect(plan.outputs["route"] == "conversion")
    }

    @Test(arguments: examples + validFixtures)
    func graphsInEveryFormat(_ path: String) throws {
        let text = try CLI.run(["graph", path])
        #expect(text.status == 0, "\(path): \(text.stderr)")
        let outline = try #require(GraphOutline(text.stdout), "\(path): unreadable graph:\n\(text.stdout)")
        #expect(try CLI.run(["graph", path, "--format", "text"]).stdout == text.stdout, "text is the default format")

        let mermaid = try CLI.run(["graph", path, "--format", "mermaid"])
        #expect(mermaid.status == 0 && mermaid.stdout.hasPrefix("flowchart TD\n"), "\(path): \(mermaid.stdout)")
        let dot = try CLI.run(["graph", path, "--format", "dot"])
        #expect(dot.status == 0 && dot.stdout.hasPrefix("digraph \"\(outline.name)\" {\n") && dot.stdout.hasSuffix("}\n"),
                "\(path): \(dot.stdout)")
        for stage in outline.stages {
            let needs = outline.after[stage] ?? []
            for need in needs {
                #expect(dot.stdout.contains("  \"stage:\(need)\" -> \"stage:\(stage)\""), "\(path): no DOT edge \(need) -> \(stage)")
            }
            if needs.isEmpty {
                #expect(dot.stdout.contains("  \"inputs\" -> \"stage:\(stage)\""), "\(path): no DOT edge inputs -> \(stage)")
            }
        }
    }

    @Test func routerGraphShowsConditionsAndJoins() throws {
        let mermaid = try CLI.run(["graph", "workflows/router.yaml", "--format", "mermaid"]).stdout
        #expect(mermaid.contains("  inputs([\"inputs: question\"])\n"))
        #expect(mermaid.contains("  s_route -- \"stages.route.output == #quot;conversion#quot;\" --> s_convert\n"))
        #expect(mermaid.contains("  s_reply{{\"reply (join: any)<br/>fixed text\"}}\n"))
        #expect(mermaid.contains("  s_decline --> s_reply\n"))

        let dot = try CLI.run(["graph", "workflows/router.yaml", "--format", "dot"]).stdout
        #expect(dot.contains("  \"stage:route\" -> \"stage:decline\" [label=\"stages.route.output == \\\"other\\\"\"];\n"))
        #expect(dot.contains("  \"stage:answer\" [label=\"answer (join: any)\\nmodel slm, adapter answer\\nvalidate: arith.sentence\", shape=hexagon];\n"))

        let text = try CLI.run(["graph", "workflows/router.yaml"]).stdout
        #expect(text.contains("\nanswer  (join: any)\n    model slm, adapter answer\n    validate: arith.sentence\n    after: compute, convert\n"))
        #expect(text.contains("    when: stages.route.output == \"arithmetic\"\n"))
    }

    @Test func stackAndRetryGraphsShowNeedsRetriesAndFallbacks() throws {
        let stack = try CLI.run(["graph", "workflows/fslm-stack.yaml", "--format", "dot"]).stdout
        #expect(stack.contains("  \"stage:plan\" -> \"stage:compute\";\n"))
        #expect(stack.contains("  \"stage:convert\" -> \"stage:answer\";\n"))
        #expect(stack.contains("\"stage:compute\" [label=\"compute\\nmodel tiny, adapter compute\\nvalidate: arith.equation_holds\\nretry: 4 attempts\"];"))

        let retry = try CLI.run(["graph", "workflows/retry-validate.yaml"]).stdout
        #expect(retry.contains("\nextract\n    model small\n    json\n    validate: json, regex " + #"'"city"\s*:\s*"[^"]+"'"#
                               + ", length <= 200\n    retry: 4 attempts\n    fallback: teacher\n"))
        #expect(retry.contains("\nconfirm\n    fixed text\n    after: extract\n"))
    }
}
