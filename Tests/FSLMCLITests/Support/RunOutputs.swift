import Foundation

/// The object `fslm run --json` prints.
struct RunReport: Decodable {
    struct Stage: Decodable {
        var status: String
        var attempts: Int
        var output: String?
        var error: String?
    }

    var status: String
    var outputs: [String: String]
    var stages: [String: Stage]
    var error: String?

    static func decode(_ json: String) throws -> RunReport {
        try JSONDecoder().decode(RunReport.self, from: Data(json.utf8))
    }

    /// Each stage's status and attempts, for comparing with an expectation.
    var ends: [String: StageEnd] {
        stages.mapValues { StageEnd(status: $0.status, attempts: $0.attempts) }
    }
}

/// How a stage ended: its status and the attempts it made.
struct StageEnd: Equatable, Sendable, CustomStringConvertible {
    var status: String
    var attempts: Int

    static let ran = StageEnd(status: "succeeded", attempts: 1)
    static let skipped = StageEnd(status: "skipped", attempts: 0)
    static func succeeded(after attempts: Int) -> StageEnd { StageEnd(status: "succeeded", attempts: attempts) }

    var description: String { "\(status)/\(attempts)" }
}

/// One line of a `--trace` file. The fields every line has are required; the rest depend on `type`.
struct TraceEvent: Decodable {
    var run: String
    var seq: Int
    var type: String
    var elapsedMs: Double
    var stage: String?
    var stages: [String]?
    var attempt: Int?
    var attempts: Int?
    var prompt: String?
    var status: String?
    var message: String?
    var outputs: [String: String]?
    var error: String?

    /// The event that settles a stage: `stage_finished`, or `stage_skipped` (which makes no attempts).
    var stageEnd: StageEnd? {
        switch type {
        case "stage_finished": StageEnd(status: status ?? "?", attempts: attempts ?? -1)
        case "stage_skipped": .skipped
        default: nil
        }
    }

    /// Every line of the trace at `url`, each decoded on its own; the file must end with a newline.
    static func read(_ url: URL) throws -> [TraceEvent] {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard text.hasSuffix("\n") else { throw TraceLineError(line: 0, text: "the trace does not end with a newline") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            do {
                return try decoder.decode(TraceEvent.self, from: Data(line.utf8))
            } catch {
                throw TraceLineError(line: index + 1, text: "\(error): \(line)")
            }
        }
    }
}

struct TraceLineError: Error, CustomStringConvertible {
    var line: Int
    var text: String
    var description: String { "trace line \(line): \(text)" }
}

/// A path in a fresh temporary folder, and the folder's removal.
struct ScratchFile {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-run-tests-\(UUID().uuidString)")
    let url: URL

    /// `name` inside a new temporary folder (created, empty).
    init(_ name: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        url = folder.appendingPathComponent(name)
    }

    var path: String { url.path }

    /// The file's text, or "" while it does not exist.
    var contents: String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
