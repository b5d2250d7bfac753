import FSLMEngine
import FSLMTestSupport
import FSLMWorkflow
import Foundation
import Testing

@Suite struct GraphTests {
    private func graph(_ name: String) throws -> Graph {
        let result = Fixtures.example(name)
        return Graph(try #require(result.workflow, "\(result.diagnostics.summary)"))
    }

    @Test func edgesCarryConditionsAndJoinsAreMarked() throws {
        let g = try graph("router")
        #expect(g.edges.contains(Graph.Edge(from: "route", to: "compute", label: "stages.route.output == \"arithmetic\"")))
        #expect(g.edges.contains(Graph.Edge(from: "inputs", to: "route", label: nil)))
        #expect(g.nodes.filter(\.isJoin).map(\.id) == ["answer", "reply"])
    }

    @Test func mermaidEscapesQuotesAndMarksJoins() throws {
        let m = try graph("router").mermaid
        #expect(m.hasPrefix("flowchart TD\n"))
        #expect(m.contains("  s_route -- \"stages.route.output == #quot;arithmetic#quot;\" --> s_compute\n"))
        #expect(m.contains("  s_answer{{\"answer (join: any)<br/>model slm, adapter answer<br/>validate: arith.sentence\"}}\n"))
    }

    @Test func dotQuotesLabels() throws {
        let d = try graph("retry-validate").dot
        #expect(d.hasPrefix("digraph \"retry-validate\" {"))
        #expect(d.contains("retry: 4 attempts\\nfallback: teacher"))
        #expect(d.contains("\"stage:extract\" -> \"stage:confirm\";"))
    }
}
