import Foundation

/// Writes every event (but the live-view progress pieces) as one JSON line to a file,
/// flushed line by line, so a crash or Ctrl-C leaves a valid trace of everything up to then.
public final class JSONLTraceSink: EventSink, @unchecked Sendable {
    // @unchecked: the handle is only used under `lock`.
    private let handle: FileHandle
    private let lock = NSLock()
    private let encoder: JSONEncoder

    /// Creates (or truncates) the trace file at `path`.
    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit { try? handle.close() }

    public func receive(_ event: RunEvent) {
        // Progress pieces are for live views; `generation_finished` carries the whole text.
        if case .generationProgress = event.kind { return }
        guard var line = try? encoder.encode(event) else { return }
        line.append(0x0A)
        lock.withLock {
            // One write(2) per line: the kernel has every finished line even if we crash.
            try? handle.write(contentsOf: line)
        }
    }
}
