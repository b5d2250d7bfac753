import Foundation

/// The outcome of loading one YAML file.
public struct YAMLLoadResult: Sendable {
    /// The document's root node; nil for an empty file or when loading stopped before the
    /// document was complete.
    public var root: YAMLNode?
    /// Problems found, sorted by location.
    public var diagnostics: [Diagnostic]
    /// The text that was read, so diagnostics can quote it; nil when the file could not be read.
    public var source: SourceFile?

    public init(root: YAMLNode?, diagnostics: [Diagnostic], source: SourceFile?) {
        self.root = root
        self.diagnostics = diagnostics
        self.source = source
    }
}

/// Loads one YAML document into a `YAMLNode` tree with source locations, using libyaml.
///
/// Aliases are expanded and merge keys (`<<`) applied. Problems come back as diagnostics:
/// syntax errors, tabs in indentation, duplicate keys, unknown aliases, a second document,
/// and documents whose nesting or alias expansion exceeds `limits`.
public struct YAMLLoader: Sendable {
    /// Bounds that keep hostile documents from exhausting memory or the stack.
    public struct Limits: Sendable {
        /// Total nodes that alias expansion may produce (default 10 000).
        public var maxAliasExpansion: Int
        /// Deepest nesting of lists and mappings (default 200).
        public var maxDepth: Int

        public init(maxAliasExpansion: Int = 10_000, maxDepth: Int = 200) {
            self.maxAliasExpansion = maxAliasExpansion
            self.maxDepth = maxDepth
        }
    }

    public let limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Loads `text`, reporting locations in `path`.
    public func load(text: String, path: String) -> YAMLLoadResult {
        let source = SourceFile(path: path, text: text)
        let reader = YAMLEventReader(bytes: text.utf8)
        var builder = YAMLTreeBuilder(source: source, limits: limits)
        var diagnostics: [Diagnostic] = []
        do {
            while try builder.handle(reader.next()) {}
        } catch {
            diagnostics.append(Self.syntaxDiagnostic(error, in: source))
        }
        diagnostics += builder.diagnostics
        if let lastLine = builder.lastLine {
            diagnostics += YAMLTabCheck(source: source).diagnostics(throughLine: lastLine,
                                                                     skipping: builder.contentLines)
        }
        return YAMLLoadResult(root: builder.root, diagnostics: diagnostics.sortedByLocation(), source: source)
    }

    /// Reads and loads the file at `path`. A file that is missing, a directory, unreadable or
    /// not UTF-8 gives one `fileUnreadable` error without a location.
    public func load(fileAt path: String) -> YAMLLoadResult {
        do {
            return load(text: try Self.readText(at: path), path: path)
        } catch {
            let diagnostic = Diagnostic.error(.fileUnreadable, "cannot read '\(path)': \(error.reason)", at: nil)
            return YAMLLoadResult(root: nil, diagnostics: [diagnostic], source: nil)
        }
    }

    private struct Unreadable: Error {
        var reason: String
    }

    private static func readText(at path: String) throws(Unreadable) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Unreadable(reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw Unreadable(reason: "it is a directory") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError where error.code == .fileReadNoPermission {
            throw Unreadable(reason: "permission denied")
        } catch {
            throw Unreadable(reason: error.localizedDescription)
        }
        if let offset = firstInvalidUTF8Offset(data) {
            let line = data.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            throw Unreadable(reason: "not valid UTF-8 text (first bad byte on line \(line))")
        }
        let text = String(decoding: data, as: UTF8.self)
        // libyaml skips a byte order mark; drop it so columns on line 1 agree with the text.
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    /// The byte offset of the first byte that is not part of a valid UTF-8 sequence.
    private static func firstInvalidUTF8Offset(_ data: Data) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// libyaml's error as a diagnostic, or the clearer tab diagnostic when a tab caused it.
    private static func syntaxDiagnostic(_ failure: YAMLParserFailure, in source: SourceFile) -> Diagnostic {
        if let tab = YAMLTabCheck(source: source).diagnostic(forFailureAt: failure.problemMark) { return tab }
        let location = SourceLocation(file: source.path, line: failure.problemMark.line,
                                      column: failure.problemMark.column)
        guard let context = failure.context else { return .error(.yamlSyntax, failure.problem, at: location) }
        var notes: [Diagnostic.Note] = []
        if failure.contextMark != failure.problemMark {
            let contextLocation = SourceLocation(file: source.path, line: failure.contextMark.line,
                                                 column: failure.contextMark.column)
            notes.append(Diagnostic.Note(startedHere(context), at: contextLocation))
        }
        return .error(.yamlSyntax, "\(failure.problem) \(context)", at: location, notes: notes)
    }

    /// "while parsing a block mapping" → "the block mapping started here".
    private static func startedHere(_ context: String) -> String {
        for prefix in ["while parsing a ", "while parsing an ", "while scanning a ", "while scanning an "]
        where context.hasPrefix(prefix) {
            return "the \(context.dropFirst(prefix.count)) started here"
        }
        return "started here (\(context))"
    }
}
