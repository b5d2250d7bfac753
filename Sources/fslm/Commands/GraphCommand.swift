import ArgumentParser
import FSLMEngine

/// `fslm graph FILE --format mermaid|dot|text`.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Draw a workflow's stage graph.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case mermaid, dot, text }

    @OptionGroup var workflow: WorkflowOptions

    @Option(help: "mermaid (Markdown-embeddable), dot (Graphviz) or text.")
    var format: Format = .text

    func run() throws {
        let graph = Graph(try WorkflowLoading.load(workflow).0)
        switch format {
        case .mermaid: Terminal.out(graph.mermaid)
        case .dot: Terminal.out(graph.dot)
        case .text: Terminal.out(graph.text)
        }
    }
}
