/// The answer of `GET /v1/models`.
public struct ModelList: Sendable, Hashable, Codable {
    public var object = "list"
    public var data: [Model]

    public init(data: [Model]) { self.data = data }

    /// One model name a server answers to.
    public struct Model: Sendable, Hashable, Codable {
        public var id: String
        public var object = "model"
        public var created: Int
        public var ownedBy: String
        /// For an adapter, the base model it is applied to (vLLM's `parent`).
        public var parent: String?

        public init(id: String, created: Int, ownedBy: String, parent: String? = nil) {
            self.id = id
            self.created = created
            self.ownedBy = ownedBy
            self.parent = parent
        }

        enum CodingKeys: String, CodingKey { case id, object, created, ownedBy = "owned_by", parent }
    }
}
