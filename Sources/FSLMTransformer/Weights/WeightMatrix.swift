/// A linear layer's weight, `[out, in]`, in the form the product kernels read: a tensor as
/// stored (f32, f16, bf16, read in place from the memory-mapped file), or converted once at
/// load to f16, bf16 or q8 (int8 in blocks of 32 along `in`, one f32 scale per block:
/// `w ≈ scale · q`, `scale = max|w| / 127`).
public struct WeightMatrix: @unchecked Sendable {
    // @unchecked: the bytes are never written after creation, and `owner` keeps them alive.

    /// The dtypes a product kernel reads.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case f32, f16, bf16, q8
    }

    public let format: Format
    /// `out`.
    public let rows: Int
    /// `in`.
    public let columns: Int
    let bytes: UnsafeRawPointer
    /// q8 only: `[rows, columns / 32]`.
    let scales: UnsafePointer<Float>?
    private let owner: AnyObject

    /// The tensor's own bytes, read in place (a 2-D f32, f16 or bf16 tensor).
    public init(_ tensor: Tensor) {
        precondition(tensor.shape.count == 2, "'\(tensor.name)' is not a matrix: \(tensor.shape)")
        switch tensor.dtype {
        case .f32: format = .f32
        case .f16: format = .f16
        case .bf16: format = .bf16
        }
        rows = tensor.shape[0]
        columns = tensor.shape[1]
        bytes = tensor.bytes
        scales = nil
        owner = tensor.owner
    }

    /// `tensor` in `format`: read in place when it is already stored so, otherwise converted
    /// once (f16 and bf16 round to nearest even; q8 needs `in` to be a multiple of 32 and
    /// otherwise keeps the stored dtype).
    public init(_ tensor: Tensor, format wanted: Format) {
        let stored = WeightMatrix(tensor)
        guard wanted != stored.format, wanted != .q8 || stored.columns % 32 == 0 else {
            self = stored
            return
        }
        let rows = stored.rows, columns = stored.columns
        let row = [Float](unsafeUninitializedCapacity: columns) { _, count in count = columns }
        switch wanted {
        case .f32, .f16, .bf16:
            let storage = MatrixStorage(bytes: rows * columns * (wanted == .f32 ? 4 : 2), scaleCount: 0)
            var buffer = row
            for r in 0..<rows {
                buffer.withUnsafeMutableBufferPointer { Kernels.loadFloats(tensor, from: r * columns, count: columns, into: $0.baseAddress!) }
                for c in 0..<columns {
                    let index = r * columns + c
                    switch wanted {
                    case .f32: storage.bytes.storeBytes(of: buffer[c], toByteOffset: index * 4, as: Float.self)
                    case .f16: storage.bytes.storeBytes(of: Float16(buffer[c]), toByteOffset: index * 2, as: Float16.self)
                    default: storage.bytes.storeBytes(of: Self.bfloat16(buffer[c]), toByteOffset: index * 2, as: UInt16.self)
                    }
                }
            }
            self.init(format: wanted, rows: rows, columns: columns, storage: storage)
        case .q8:
            let blocks = columns / 32
            let storage = MatrixStorage(bytes: rows * columns, scaleCount: rows * blocks)
            var buffer = row
            for r in 0..<rows {
                buffer.withUnsafeMutableBufferPointer { Kernels.loadFloats(tensor, from: r * columns, count: columns, into: $0.baseAddress!) }
                for b in 0..<blocks {
                    let block = buffer[(b * 32)..<(b * 32 + 32)]
                    let largest = block.reduce(Float(0)) { max($0, abs($1)) }
                    let scale = largest / 127
                    storage.scales[r * blocks + b] = scale
                    for (i, w) in block.enumerated() {
                        let q = scale == 0 ? 0 : Int8(max(-127, min(127, (w / scale).rounded())))
                        storage.bytes.storeBytes(of: q, toByteOffset: r * columns + b * 32 + i, as: Int8.self)
                    }
                }
            }
            self.init(format: .q8, rows: rows, columns: columns, storage: storage)
        }
        // The stored bytes were read once; a mapped file's pages need not stay resident.
        (tensor.owner as? SafetensorsFile)?.releaseResidentPages(of: tensor)
    }

    private init(format: Format, rows: Int, columns: Int, storage: MatrixStorage) {
        self.format = format
        self.rows = rows
        self.columns = columns
        bytes = UnsafeRawPointer(storage.bytes)
        scales = storage.scaleCount > 0 ? UnsafePointer(storage.scales) : nil
        owner = storage
    }

    /// Bytes the weights take (scales included).
    public var byteCount: Int {
        switch format {
        case .f32: rows * columns * 4
        case .f16, .bf16: rows * columns * 2
        case .q8: rows * columns + rows * (columns / 32) * 4
        }
    }

    /// Weight `(r, c)` as a Float (for tests and reference products).
    public func value(row r: Int, column c: Int) -> Float {
        let index = r * columns + c
        switch format {
        case .f32: return bytes.loadUnaligned(fromByteOffset: index * 4, as: Float.self)
        case .f16: return Float(bytes.loadUnaligned(fromByteOffset: index * 2, as: Float16.self))
        case .bf16: return Float(bitPattern: UInt32(bytes.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)) << 16)
        case .q8: return Float(bytes.load(fromByteOffset: index, as: Int8.self)) * scales![r * (columns / 32) + c / 32]
        }
    }

    /// Calls `body` with the weight bytes and, for q8, the scales (for tests of the kernels).
    public func withRawStorage<R>(_ body: (UnsafeRawPointer, UnsafePointer<Float>?) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(bytes, scales) }
    }

    /// f32 → bf16, rounding to nearest even (NaNs stay NaNs).
    static func bfloat16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x40 }
        return UInt16((bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }
}

/// Memory a converted matrix owns.
private final class MatrixStorage {
    let bytes: UnsafeMutableRawPointer
    let scales: UnsafeMutablePointer<Float>
    let scaleCount: Int

    init(bytes count: Int, scaleCount: Int) {
        bytes = .allocate(byteCount: max(count, 1), alignment: 64)
        scales = .allocate(capacity: max(scaleCount, 1))
        self.scaleCount = scaleCount
    }

    deinit {
        bytes.deallocate()
        scales.deallocate()
    }
}
