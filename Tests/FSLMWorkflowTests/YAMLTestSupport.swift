import FSLMWorkflow

/// Loads `text` as the file `t.yaml`.
func loadYAML(_ text: String, limits: YAMLLoader.Limits = YAMLLoader.Limits()) -> YAMLLoadResult {
    YAMLLoader(limits: limits).load(text: text, path: "t.yaml")
}

extension YAMLNode {
    /// `line:column` of the node.
    var lineColumn: String { "\(location.line):\(location.column)" }

    /// The value under scalar key `key`, if this is a mapping that has it.
    func value(forKey key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.text == key }?.value
    }

    /// The `index`th item, if this is a sequence that long.
    func item(_ index: Int) -> YAMLNode? {
        guard let items = sequence, items.indices.contains(index) else { return nil }
        return items[index]
    }
}

extension Diagnostic {
    /// `line:column` of the diagnostic, or "-" without a location.
    var lineColumn: String { location.map { "\($0.line):\($0.column)" } ?? "-" }
}
