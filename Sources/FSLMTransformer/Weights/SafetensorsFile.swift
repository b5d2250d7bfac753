public import Foundation
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// A `.safetensors` file, memory-mapped read-only and checked when opened (see
/// `SafetensorsHeader`): a truncated file, a header lying about offsets or sizes, or a header
/// that is not JSON is a `SafetensorsError` naming the file and the tensor, never a crash.
///
/// Tensors are views of the mapping; the file object is their `owner`, so the mapping lives as
/// long as any tensor does. Tensors of dtypes fslm does not compute with (`I64`, `BOOL`, ...;
/// checkpoints carry such buffers, e.g. attention masks) are validated but not served: they
/// are listed in `unsupportedTensors`, and `checkedTensor(_:)` names their dtype.
public final class SafetensorsFile: WeightStore, @unchecked Sendable {
    // @unchecked: every stored property is immutable; the mapping is read-only.

    /// The file's location.
    public let url: URL
    /// The file's name, as error messages start.
    public let fileName: String
    /// The header's `__metadata__` (often `["format": "pt"]`).
    public let metadata: [String: String]
    /// Tensors present with a dtype fslm does not read: name → dtype as written.
    public let unsupportedTensors: [String: String]
    public let tensorNames: [String]

    private let base: UnsafeRawPointer
    private let mappedLength: Int
    private let header: SafetensorsHeader

    /// Maps and checks the file at `url`.
    public init(url: URL) throws {
        self.url = url
        let name = url.lastPathComponent
        fileName = name
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw SafetensorsError(file: name, "cannot open \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SafetensorsError(file: name, "cannot stat \(url.path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw SafetensorsError(file: name, "\(url.path) is not a regular file") }
        let size = Int(info.st_size)
        try SafetensorsHeader.checkFileSize(size, fileName: name)
        guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapping != MAP_FAILED else {
            throw SafetensorsError(file: name, "cannot map \(url.path): \(String(cString: strerror(errno)))")
        }
        let base = UnsafeRawPointer(mapping)
        do {
            header = try SafetensorsHeader(UnsafeRawBufferPointer(start: base, count: size), fileName: name)
        } catch {
            munmap(mapping, size)
            throw error
        }
        self.base = base
        mappedLength = size
        metadata = header.metadata
        var unsupported: [String: String] = [:]
        for entry in header.entries.values where entry.dtype == nil { unsupported[entry.name] = entry.dtypeName }
        unsupportedTensors = unsupported
        tensorNames = header.entries.values.filter { $0.dtype != nil }.map(\.name).sorted()
    }

    /// Maps and checks the file at `path`.
    public convenience init(path: String) throws {
        try self.init(url: URL(fileURLWithPath: path))
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), mappedLength)
    }

    /// `madvise(MADV_DONTNEED)` on the read-only mapping: its pages leave the resident set and
    /// are read again from the page cache if touched.
    public func releaseResidentPages() {
        madvise(UnsafeMutableRawPointer(mutating: base), mappedLength, MADV_DONTNEED)
    }

    /// `releaseResidentPages` for the whole pages inside one of this file's tensors.
    func releaseResidentPages(of tensor: Tensor) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: tensor.bytes) + page - 1) / page * page
        let end = (Int(bitPattern: tensor.bytes) + tensor.count * tensor.dtype.byteSize) / page * page
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        madvise(pointer, end - start, MADV_DONTNEED)
    }

    public func tensor(_ name: String) -> Tensor? {
        guard let entry = header.entries[name], let dtype = entry.dtype else { return nil }
        return Tensor(name: name, dtype: dtype, shape: entry.shape, bytes: base + header.dataStart + entry.begin, owner: self)
    }

    /// The tensor named `name`, or an error saying it is absent or of a dtype fslm does not read.
    public func checkedTensor(_ name: String) throws -> Tensor {
        if let tensor = tensor(name) { return tensor }
        if let dtype = unsupportedTensors[name] {
            throw SafetensorsError(file: fileName, tensor: name, Self.unsupportedDTypeProblem(name, dtype))
        }
        throw SafetensorsError(file: fileName, tensor: name, "no tensor '\(name)'")
    }

    /// `tensor 'x' has dtype I64, which fslm does not read (it reads F32, F16, BF16)`.
    static func unsupportedDTypeProblem(_ name: String, _ dtype: String) -> String {
        "tensor '\(name)' has dtype \(dtype), which fslm does not read (it reads \(DType.allCases.map(\.rawValue).joined(separator: ", ")))"
    }
}
