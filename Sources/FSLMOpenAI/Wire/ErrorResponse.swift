/// The body of an error answer: `{"error": {"message": ..., "type": ..., "code": ...}}`.
public struct ErrorResponse: Sendable, Hashable, Codable {
    public var error: Detail

    public init(message: String, type: String, code: String? = nil) {
        error = Detail(message: message, type: type, code: code)
    }

    public struct Detail: Sendable, Hashable, Codable {
        public var message: String
        public var type: String?
        public var code: String?

        public init(message: String, type: String?, code: String?) {
            self.message = message
            self.type = type
            self.code = code
        }
    }
}
