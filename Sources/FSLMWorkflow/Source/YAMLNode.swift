/// One node of a loaded YAML document; every node remembers where it came from.
public struct YAMLNode: Sendable {
    /// The node's content.
    public var value: Value
    /// Where the node starts in its file.
    public var location: SourceLocation
    /// An explicit tag (`!!str`, `!custom`), if the file wrote one.
    public var tag: String?

    public init(_ value: Value, at location: SourceLocation, tag: String? = nil) {
        self.value = value
        self.location = location
        self.tag = tag
    }

    /// The three YAML node kinds. Mapping entries keep file order.
    public indirect enum Value: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    /// The scalar, if this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = value { return s }
        return nil
    }

    /// The items, if this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    /// The entries, if this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = value { return pairs }
        return nil
    }

    /// A word for the node's kind, for messages: "a string", "a list", "a mapping", "null".
    public var kindDescription: String {
        switch value {
        case .scalar(let s): return s.isNull ? "null" : "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// A mapping entry.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A scalar's text and how it was written.
public struct YAMLScalar: Sendable, Hashable {
    /// How a scalar was written; only plain scalars resolve to null, booleans and numbers.
    public enum Style: String, Sendable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    /// A plain `~`, `null`, `Null`, `NULL` or empty scalar.
    public var isNull: Bool {
        style == .plain && ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The YAML 1.2 core-schema boolean of a plain scalar, if it is one.
    public var bool: Bool? {
        guard style == .plain else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// The number a plain scalar spells (decimal integers and floats), if any.
    public var number: Double? {
        guard style == .plain, let first = text.first, first.isNumber || "+-.".contains(first) else { return nil }
        if text.contains("_") || text.lowercased().hasPrefix("0x") { return nil }
        return Double(text)
    }
}
