import Foundation

/// Writes a new, working plugin: a manifest, one template and one external validator (a
/// POSIX shell script) with examples, so `fslm plugins check` passes on it as generated.
public enum PluginScaffold {
    /// Why a plugin could not be created.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Creates `directory/name` and its files; the folder must not exist yet.
    /// Returns the paths written, relative to the new folder.
    @discardableResult
    public static func create(name: String, in directory: String) throws(Failure) -> [String] {
        guard PluginManifest.isIdentifier(name) else {
            throw Failure(description: "'\(name)' is not a plugin name: use letters, digits, '_' and '-'")
        }
        let folder = URL(fileURLWithPath: directory).appendingPathComponent(name)
        let manager = FileManager.default
        guard !manager.fileExists(atPath: folder.path) else {
            throw Failure(description: "\(folder.path) already exists; choose another name or --dir")
        }
        let files: [(String, String, Bool)] = [
            ("plugin.yaml", manifest(name), false),
            ("templates/ask.mustache", template, false),
            ("validators/one_sentence.sh", validator, true),
        ]
        do {
            for (path, text, executable) in files {
                let url = folder.appendingPathComponent(path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
                if executable { try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
            }
        } catch {
            try? manager.removeItem(at: folder)  // nothing half-written is left behind
            throw Failure(description: "cannot create \(folder.path): \(error.localizedDescription)")
        }
        return files.map(\.0)
    }

    static func manifest(_ name: String) -> String {
        """
        name: \(name)
        version: 0.1.0
        description: A prompt template and a validator (edit me).
        templates:
          ask: templates/ask.mustache
        validators:
          one_sentence:
            description: The reply is one sentence ending with a period.
            command: [validators/one_sentence.sh]
            timeout: 2s
            examples:
              pass: ["Paris is the capital of France."]
              fail: ["Paris", "Paris. Rome."]
          short:
            description: At most 200 characters.
            kind: length
            max: 200
            examples:
              pass: ["A short reply."]

        """
    }

    static let template = """
        Question: {{inputs.question}}
        {{#feedback}}
        Your last reply was rejected: {{feedback}}
        {{/feedback}}
        Answer in one sentence:
        """

    /// Reads the request (one JSON object) on stdin and prints one verdict on stdout.
    static let validator = #"""
        #!/bin/sh
        # fslm validator: reads {"output": ..., "stage": ..., "inputs": ..., "params": ...} on stdin,
        # prints {"ok": true} or {"ok": false, "message": "..."} on stdout, exits 0.
        request=$(cat)
        # The output field, as JSON text between its quotes (escapes kept).
        output=$(printf '%s' "$request" | sed -n 's/.*"output":"\(\([^"\\]\|\\.\)*\)".*/\1/p')
        case "$output" in
          *.*.*) echo '{"ok": false, "message": "reply with exactly one sentence"}' ;;
          *.)    echo '{"ok": true}' ;;
          *)     echo '{"ok": false, "message": "end the sentence with a period"}' ;;
        esac

        """#
}
