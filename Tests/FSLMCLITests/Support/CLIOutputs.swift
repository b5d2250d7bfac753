import Foundation

/// The parts of `fslm dry-run --json` the tests read.
struct DryRunReport: Decodable {
    struct Step: Decodable {
        var stage: String
        var decision: String
        var rendered: String
    }

    var workflow: String
    var steps: [Step]
    var outputs: [String: String]
    var maxModelCalls: Int
    var missingInputs: [String]
    var unknownInputs: [String]

    static func decode(_ json: String) throws -> DryRunReport {
        try JSONDecoder().decode(DryRunReport.self, from: Data(json.utf8))
    }
}

/// `fslm graph --format text` read back: stages in file order, each with the stages it runs after.
struct GraphOutline {
    var name: String
    var stages: [String] = []
    /// Each stage's `after:` list; stages with no needs run after `inputs`, left out here.
    var after: [String: [String]] = [:]

    /// Parses the outline: a `workflow NAME` line, then one block per stage separated by blank
    /// lines: the stage id (with `  (join: any)` on joins), then indented annotations.
    init?(_ text: String) {
        let blocks = text.components(separatedBy: "\n\n")
        guard let header = blocks.first, header.hasPrefix("workflow ") else { return nil }
        name = String(header.dropFirst("workflow ".count))
        for block in blocks.dropFirst() {
            let lines = block.split(separator: "\n")
            guard let first = lines.first, !first.hasPrefix(" ") else { return nil }
            let id = String(first.split(separator: " ").first ?? first)
            stages.append(id)
            let afterLine = lines.first { $0.hasPrefix("    after: ") }
            after[id] = afterLine.map { $0.dropFirst("    after: ".count).components(separatedBy: ", ") }?
                .filter { $0 != "inputs" } ?? []
        }
    }
}
