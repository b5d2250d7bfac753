/// A read-only tensor: a flat, row-major buffer of `dtype` elements with a `shape`. The
/// bytes usually live in a memory-mapped weight file; `owner` keeps that mapping (or any
/// other storage) alive as long as the tensor is used.
public struct Tensor: @unchecked Sendable {
    // @unchecked: the bytes are never written after creation, and `owner` keeps them alive.
    public let name: String
    public let dtype: DType
    /// Row-major; the last dimension varies fastest.
    public let shape: [Int]
    /// The first byte of the first element.
    public let bytes: UnsafeRawPointer
    /// Keeps `bytes` valid (a mapping, an array box).
    public let owner: AnyObject

    public init(name: String, dtype: DType, shape: [Int], bytes: UnsafeRawPointer, owner: AnyObject) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
        self.owner = owner
    }

    /// The number of elements (1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    /// Element `i` (flat index) as a Float, whatever the stored type.
    @inlinable
    public func float(at i: Int) -> Float {
        switch dtype {
        case .f32: return bytes.loadUnaligned(fromByteOffset: i &* 4, as: Float.self)
        case .f16: return Float(bytes.loadUnaligned(fromByteOffset: i &* 2, as: Float16.self))
        case .bf16: return Float(bitPattern: UInt32(bytes.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)) << 16)
        }
    }

    /// All elements as Floats (a copy; for tests and small tensors).
    public func floats() -> [Float] { (0..<count).map(float(at:)) }
}

/// Where a model's tensors come from: one safetensors file, several shards, or memory.
public protocol WeightStore: Sendable {
    /// The tensor named `name` (a Hugging Face parameter name), or nil when absent.
    func tensor(_ name: String) -> Tensor?
    /// Every tensor name, sorted.
    var tensorNames: [String] { get }
    /// Drops the store's pages from this process's resident memory, for after weights were
    /// converted at load: the bytes stay readable (a later read maps them in again).
    func releaseResidentPages()
}

extension WeightStore {
    public func releaseResidentPages() {}
}
