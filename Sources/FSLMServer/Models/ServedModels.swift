/// The model names a server answers to on its OpenAI endpoints: each base model, and each
/// adapter over one, all backed by the process's `InferenceCore`.
public struct ServedModels: Sendable {
    /// One served name.
    public struct Entry: Sendable, Hashable {
        public var name: String
        /// The inference core's key of the base model.
        public var key: String
        /// The adapter applied, for an adapter's name; nil for a base model.
        public var adapter: String?
        /// The base model's served name, for an adapter.
        public var parent: String?

        public init(name: String, key: String, adapter: String? = nil, parent: String? = nil) {
            self.name = name
            self.key = key
            self.adapter = adapter
            self.parent = parent
        }
    }

    /// In the order they were added.
    public private(set) var entries: [Entry] = []

    public init() {}

    /// Adds `entry`; false when its name is taken.
    @discardableResult
    public mutating func add(_ entry: Entry) -> Bool {
        guard self[entry.name] == nil else { return false }
        entries.append(entry)
        return true
    }

    public subscript(name: String) -> Entry? { entries.first { $0.name == name } }
}
