extension Graph {
    /// A Mermaid flowchart: stages as boxes, joins as hexagons, conditions on edges.
    public var mermaid: String {
        var out = "flowchart TD\n"
        let inputLabel = inputs.isEmpty ? "inputs" : "inputs: " + inputs.joined(separator: ", ")
        out += "  \(Self.inputsNode)([\"\(Self.mermaidEscape(inputLabel))\"])\n"
        for node in nodes {
            let title = node.isJoin ? "\(node.id) (join: any)" : node.id
            let label = ([title] + annotations(of: node)).map(Self.mermaidEscape).joined(separator: "<br/>")
            let id = Self.mermaidID(node.id)
            out += node.isJoin ? "  \(id){{\"\(label)\"}}\n" : "  \(id)[\"\(label)\"]\n"
        }
        for edge in edges {
            let from = edge.from == Self.inputsNode ? Self.inputsNode : Self.mermaidID(edge.from)
            let to = Self.mermaidID(edge.to)
            if let label = edge.label {
                out += "  \(from) -- \"\(Self.mermaidEscape(label))\" --> \(to)\n"
            } else {
                out += "  \(from) --> \(to)\n"
            }
        }
        return out
    }

    /// Stage ids may hold `-`; prefixing keeps them clear of Mermaid keywords (`end`, `graph`).
    static func mermaidID(_ id: String) -> String {
        "s_" + String(id.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" ? Character($0) : "_" })
    }

    /// Mermaid labels are HTML-ish: quotes and angle brackets become entity codes.
    static func mermaidEscape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "\n": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
