import Foundation
import FSLMTransformer

/// A minimal safetensors reader for these tests only, until the weights branch's
/// `SafetensorsFile` lands on this branch; then delete this file and use that.
///
/// Reads the whole file into one 64-byte-aligned buffer, so tensors sit at the same
/// alignment a memory mapping would give them.
struct TestSafetensors: WeightStore {
    final class Storage: @unchecked Sendable {
        let bytes: UnsafeMutableRawPointer
        init(count: Int) { bytes = .allocate(byteCount: max(count, 1), alignment: 64) }
        deinit { bytes.deallocate() }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let storage: Storage
    let tensors: [String: Tensor]

    init(url: URL) throws {
        let data = try Data(contentsOf: url)
        let storage = Storage(count: data.count)
        data.withUnsafeBytes { storage.bytes.copyMemory(from: $0.baseAddress!, byteCount: data.count) }
        self.storage = storage
        guard data.count >= 8 else { throw Failure(description: "\(url.path): too short") }
        let headerLength = Int(storage.bytes.loadUnaligned(as: UInt64.self).littleEndian)
        guard 8 + headerLength <= data.count,
            let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any]
        else { throw Failure(description: "\(url.path): bad header") }
        var tensors: [String: Tensor] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
                let dtype = DType(rawValue: dtypeName), let shape = entry["shape"] as? [Int],
                let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw Failure(description: "\(url.path): bad entry '\(name)'") }
            guard offsets[1] - offsets[0] == shape.reduce(1, *) * dtype.byteSize, 8 + headerLength + offsets[1] <= data.count else {
                throw Failure(description: "\(url.path): '\(name)' has the wrong byte count")
            }
            tensors[name] = Tensor(name: name, dtype: dtype, shape: shape, bytes: storage.bytes + 8 + headerLength + offsets[0], owner: storage)
        }
        self.tensors = tensors
    }

    func tensor(_ name: String) -> Tensor? { tensors[name] }
    var tensorNames: [String] { tensors.keys.sorted() }
}
