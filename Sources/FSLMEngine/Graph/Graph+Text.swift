extension Graph {
    /// A plain-text outline: each stage with its annotations and where it comes from.
    public var text: String {
        var out = "workflow \(name)\n"
        for node in nodes {
            out += "\n" + node.id + (node.isJoin ? "  (join: any)" : "") + "\n"
            for line in annotations(of: node) { out += "    \(line)\n" }
            let from = edges.filter { $0.to == node.id }.map(\.from)
            out += "    after: \(from.joined(separator: ", "))\n"
            if let condition = node.condition { out += "    when: \(condition)\n" }
        }
        return out
    }
}
