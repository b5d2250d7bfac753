import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FSLMTransformer

/// A minimal safetensors reader for these tests only, until the weights branch's
/// `SafetensorsFile` lands on this branch; then delete this file and use that.
///
/// Maps the file read-only (as the real reader will), so tensors point into the mapping.
struct TestSafetensors: WeightStore {
    final class Storage: @unchecked Sendable {
        let bytes: UnsafeRawPointer
        let count: Int
        init(path: String) throws {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw Failure(description: "\(path): cannot open") }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_size > 0 else { throw Failure(description: "\(path): cannot stat") }
            count = Int(info.st_size)
            guard let mapping = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), mapping != MAP_FAILED else {
                throw Failure(description: "\(path): cannot map")
            }
            bytes = UnsafeRawPointer(mapping)
        }
        deinit { munmap(UnsafeMutableRawPointer(mutating: bytes), count) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let storage: Storage
    let tensors: [String: Tensor]

    init(url: URL) throws {
        let storage = try Storage(path: url.path)
        self.storage = storage
        guard storage.count >= 8 else { throw Failure(description: "\(url.path): too short") }
        let headerLength = Int(storage.bytes.loadUnaligned(as: UInt64.self).littleEndian)
        guard 8 + headerLength <= storage.count,
            let header = try JSONSerialization.jsonObject(with: Data(bytes: storage.bytes + 8, count: headerLength)) as? [String: Any]
        else { throw Failure(description: "\(url.path): bad header") }
        var tensors: [String: Tensor] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
                let dtype = DType(rawValue: dtypeName), let shape = entry["shape"] as? [Int],
                let offsets = entry["data_offsets"] as? [Int], offsets.count == 2
            else { throw Failure(description: "\(url.path): bad entry '\(name)'") }
            guard offsets[1] - offsets[0] == shape.reduce(1, *) * dtype.byteSize, 8 + headerLength + offsets[1] <= storage.count else {
                throw Failure(description: "\(url.path): '\(name)' has the wrong byte count")
            }
            tensors[name] = Tensor(name: name, dtype: dtype, shape: shape, bytes: storage.bytes + 8 + headerLength + offsets[0], owner: storage)
        }
        self.tensors = tensors
    }

    func tensor(_ name: String) -> Tensor? { tensors[name] }
    var tensorNames: [String] { tensors.keys.sorted() }
}
