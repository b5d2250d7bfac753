extension Graph {
    /// A Graphviz digraph: stages as boxes, joins as hexagons, conditions on edges.
    public var dot: String {
        var out = "digraph \(Self.dotQuote(name)) {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n"
        let inputLabel = inputs.isEmpty ? "inputs" : "inputs: " + inputs.joined(separator: ", ")
        out += "  \(Self.dotQuote(Self.inputsNode)) [shape=oval, label=\(Self.dotQuote(inputLabel))];\n"
        for node in nodes {
            let title = node.isJoin ? "\(node.id) (join: any)" : node.id
            let label = ([title] + annotations(of: node)).joined(separator: "\n")
            let shape = node.isJoin ? ", shape=hexagon" : ""
            out += "  \(Self.dotQuote("stage:" + node.id)) [label=\(Self.dotQuote(label))\(shape)];\n"
        }
        for edge in edges {
            let from = edge.from == Self.inputsNode ? Self.inputsNode : "stage:" + edge.from
            let label = edge.label.map { " [label=\(Self.dotQuote($0))]" } ?? ""
            out += "  \(Self.dotQuote(from)) -> \(Self.dotQuote("stage:" + edge.to))\(label);\n"
        }
        return out + "}\n"
    }

    /// A DOT string literal; line breaks become `\n` escapes.
    static func dotQuote(_ text: String) -> String {
        var out = "\""
        for ch in text {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out + "\""
    }
}
