/// A `tokenizer.json` that fslm cannot use: malformed JSON, a missing or mistyped field, or a
/// component `type` fslm does not implement. The message names the file and the field.
public struct TokenizerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file the tokenizer was read from (`tokenizer.json` or the path given).
    public var path: String
    /// The field at fault, as a JSON path (`pre_tokenizer.pretokenizers[1].type`); empty for the whole file.
    public var field: String
    /// What is wrong with it.
    public var message: String

    public init(path: String, field: String, message: String) {
        self.path = path
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? "\(path): \(message)" : "\(path): \(field): \(message)"
    }
}
