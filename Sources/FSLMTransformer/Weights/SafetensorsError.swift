/// A `.safetensors` file (or a shard index) that cannot be read as it stands: truncated,
/// malformed, inconsistent, or holding a tensor fslm does not read. The message names the
/// file and, when one is at fault, the tensor.
public struct SafetensorsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's name (its last path component), as it starts the message.
    public var file: String
    /// The tensor at fault, if one is.
    public var tensor: String?
    /// What is wrong, without the file name.
    public var problem: String

    public init(file: String, tensor: String? = nil, _ problem: String) {
        self.file = file
        self.tensor = tensor
        self.problem = problem
    }

    /// `file: problem`, e.g. `model.safetensors: tensor 'w' has data_offsets [0, 96] but shape [4, 8] of F32 needs 128 bytes`.
    public var description: String { "\(file): \(problem)" }
}
