/// A `config.json` (or `generation_config.json`) fslm cannot run from: an unknown
/// architecture, a missing or mistyped key, an inconsistent or unsupported value. The message
/// names the file and the key.
public struct ModelConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's name, as the message starts.
    public var file: String
    /// The key at fault (dotted inside nested objects: `rope_scaling.factor`), if one is.
    public var key: String?
    /// What is wrong, without the file name.
    public var problem: String

    public init(file: String, key: String? = nil, _ problem: String) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    /// `file: problem`, e.g. `config.json: 'hidden_size' is missing`.
    public var description: String { "\(file): \(problem)" }
}
