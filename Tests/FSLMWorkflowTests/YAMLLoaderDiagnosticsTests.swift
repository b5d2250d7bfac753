import FSLMWorkflow
import Foundation
import Testing

/// Malformed, hostile and unreadable input.
@Suite struct YAMLLoaderDiagnosticsTests {
    @Test func libyamlSyntaxErrorPosition() throws {
        let result = loadYAML("a: b: c\n")
        #expect(result.root == nil)
        let d = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(d.id == .yamlSyntax)
        #expect(d.severity == .error)
        #expect(d.message == "mapping values are not allowed in this context")
        #expect(d.lineColumn == "1:5")
        #expect(result.source != nil)
    }

    @Test func syntaxErrorWithContextNote() throws {
        let result = loadYAML("a:\n  b: 1\n c: 2\n")
        let d = try #require(result.diagnostics.first)
        #expect(d.id == .yamlSyntax)
        #expect(d.message == "did not find expected key while parsing a block mapping")
        #expect(d.lineColumn == "3:2")
        #expect(d.notes.map(\.message) == ["the block mapping started here"])
        #expect(d.notes.first?.location == SourceLocation(file: "t.yaml", line: 1, column: 1))
    }

    @Test func unterminatedQuoteIsReported() throws {
        let d = try #require(loadYAML("a: \"open\nb: 1\n").diagnostics.first)
        #expect(d.id == .yamlSyntax)
        #expect(d.message.contains("quoted scalar"))
        #expect(d.notes.first?.location?.line == 1)
    }

    @Test func controlCharactersAreASyntaxErrorNotACrash() throws {
        let result = loadYAML("a: 1\nb: x\u{0}y\n")
        let d = try #require(result.diagnostics.first)
        #expect(d.id == .yamlSyntax)
        #expect(d.message == "control characters are not allowed (U+0000)")
        #expect(d.lineColumn == "2:5")
        #expect(result.root == nil)
    }

    @Test func linesEndWhereLibyamlEndsThem() throws {
        // CR, CR LF, NEL and the line and paragraph separators all end lines for libyaml, so
        // they end lines in diagnostics and in the quoted source too.
        let result = loadYAML("a: 1\rb: 2\r\nc: 3\u{85}d: 4\u{2028}a: 5\u{2029}e: 6\n")
        let source = try #require(result.source)
        #expect(source.lineCount == 6)
        #expect(source.line(5) == "a: 5")
        let d = try #require(result.diagnostics.first)
        #expect(d.id == .duplicateKey)
        #expect(d.lineColumn == "5:1")
        var sources = SourceFiles()
        sources.add(source)
        #expect(DiagnosticRenderer(sources: sources).renderText(d).hasPrefix(
            "t.yaml:5:1: error: duplicate key 'a' in mapping [duplicate-key]\n  a: 5\n  ^\n"))
        // Errors that libyaml places by byte offset count lines the same way.
        let control = try #require(loadYAML("a: 1\rb: 2\u{85}c: x\u{1}\n").diagnostics.first)
        #expect(control.message == "control characters are not allowed (U+0001)")
        #expect(control.lineColumn == "3:5")
    }

    @Test func duplicateKeyPointsAtSecondWithNoteAtFirst() throws {
        let result = loadYAML("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n")
        #expect(result.diagnostics.map(\.id) == [.duplicateKey, .duplicateKey])
        let d = result.diagnostics[0]
        #expect(d.message == "duplicate key 'x' in mapping")
        #expect(d.lineColumn == "4:3")
        #expect(d.notes == [Diagnostic.Note("first defined here", at: SourceLocation(file: "t.yaml", line: 3, column: 3))])
        #expect(result.diagnostics[1].lineColumn == "5:1")
        let root = try #require(result.root)
        #expect(root.value(forKey: "a")?.scalar?.text == "1")
        #expect(root.mapping?.count == 2)
        #expect(root.value(forKey: "b")?.value(forKey: "x")?.scalar?.text == "1")
    }

    @Test func tabIndentationRejectedByLibyaml() throws {
        let result = loadYAML("a:\n  b: 1\n\tc: 2\n")
        #expect(result.diagnostics.count == 1)
        let d = try #require(result.diagnostics.first)
        #expect(d.id == .tabIndentation)
        #expect(d.message == "tabs are not allowed in indentation; use spaces")
        #expect(d.lineColumn == "3:1")
        #expect(loadYAML("a:\n  b: 1\n  \tc: 2\n").diagnostics.map(\.lineColumn) == ["3:3"])
        #expect(loadYAML("\t# comment\na: 1\n").diagnostics.map(\.lineColumn) == ["1:1"])
        let afterDash = loadYAML("a:\n  - \tb\n").diagnostics
        #expect(afterDash.map(\.id) == [.tabIndentation])
        #expect(afterDash.map(\.lineColumn) == ["2:5"])
    }

    @Test func tabIndentationThatLibyamlAccepts() throws {
        // libyaml reads this as the one scalar "a - b"; the tab hides a second list item.
        let result = loadYAML("- a\n \t- b\n")
        #expect(result.diagnostics.map(\.id) == [.tabIndentation])
        #expect(result.diagnostics.first?.lineColumn == "2:2")
    }

    @Test func tabsInsideScalarsAndFlowAreFine() {
        #expect(loadYAML("a: >\n  x\n  \ty\nb: \"p\n\tq\"\nc: [1,\n\t2]\nd: x\t# c\n").diagnostics.isEmpty)
    }

    @Test func secondDocumentIsAnError() throws {
        let result = loadYAML("a: 1\n---\nb: 2\n")
        #expect(result.diagnostics.map(\.id) == [.multipleDocuments])
        #expect(result.diagnostics.first?.message == "a workflow file holds one YAML document; found a second one here")
        #expect(result.diagnostics.first?.lineColumn == "2:1")
        #expect(result.root?.value(forKey: "a")?.scalar?.text == "1")
        #expect(result.root?.value(forKey: "b") == nil)
    }

    @Test func unknownAlias() throws {
        let result = loadYAML("a: 1\nb: *missing\n")
        #expect(result.diagnostics.map(\.id) == [.unknownAlias])
        #expect(result.diagnostics.first?.lineColumn == "2:4")
        #expect(result.diagnostics.first?.message.contains("*missing") == true)
    }

    @Test func selfReferenceIsAnUnknownAlias() {
        #expect(loadYAML("a: &x [*x]\n").diagnostics.map(\.id) == [.unknownAlias])
    }

    @Test func mergeOfAScalarIsAnError() throws {
        let d = try #require(loadYAML("a: 1\nb:\n  <<: 5\n").diagnostics.first)
        #expect(d.id == .yamlSyntax)
        #expect(d.lineColumn == "3:7")
    }

    @Test(.timeLimit(.minutes(1))) func billionLaughsStopsAtTheAliasLimit() throws {
        var text = "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        let result = loadYAML(text)
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.id) == [.aliasLimit])
        #expect(result.diagnostics.first?.message == "alias expansion exceeds 10000 nodes (a 'billion laughs' document?)")
        #expect(result.diagnostics.first?.lineColumn == "5:8")
    }

    @Test func aliasLimitIsConfigurable() {
        let text = "a: &a [1, 2, 3]\nb: *a\nc: *a\n"
        #expect(loadYAML(text, limits: .init(maxAliasExpansion: 8)).diagnostics.isEmpty)
        #expect(loadYAML(text, limits: .init(maxAliasExpansion: 7)).diagnostics.map(\.id) == [.aliasLimit])
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let result = loadYAML(String(repeating: "[", count: 10_000))
        #expect(result.root == nil)
        let d = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(d.id == .yamlSyntax)
        #expect(d.message.contains("nesting is too deep"))
        #expect(d.lineColumn == "1:201")
    }

    @Test func nestingUpToTheLimitIsFine() throws {
        let text = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(loadYAML(text).diagnostics.isEmpty)
        #expect(loadYAML(text, limits: .init(maxDepth: 199)).diagnostics.map(\.lineColumn) == ["1:200"])
    }

    @Test func aliasesCannotExceedTheDepthLimit() {
        let text = "a: &a [[[1]]]\nb: [[*a]]\n"
        #expect(loadYAML(text, limits: .init(maxDepth: 6)).diagnostics.isEmpty)
        #expect(loadYAML(text, limits: .init(maxDepth: 5)).diagnostics.map(\.lineColumn) == ["2:6"])
    }

    @Test func readsAFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("ok.yaml")
        try Data("\u{FEFF}a: 1\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = YAMLLoader().load(fileAt: path)
        #expect(result.diagnostics.isEmpty)
        #expect(result.root?.value(forKey: "a")?.lineColumn == "1:4")
        #expect(result.root?.location.file == path)
        #expect(result.source?.line(1) == "a: 1")
    }

    @Test func missingFileAndDirectory() throws {
        let dir = try TemporaryDirectory()
        for (path, reason) in [(dir.path("nope.yaml"), "no such file"), (dir.path(""), "it is a directory")] {
            let result = YAMLLoader().load(fileAt: path)
            #expect(result.root == nil)
            #expect(result.source == nil)
            #expect(result.diagnostics.count == 1)
            #expect(result.diagnostics.first?.id == .fileUnreadable)
            #expect(result.diagnostics.first?.location == nil)
            #expect(result.diagnostics.first?.message == "cannot read '\(path)': \(reason)")
        }
    }

    @Test func invalidUTF8File() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("bad.yaml")
        try Data([0x61, 0x3A, 0x20, 0x31, 0x0A, 0x62, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: path))
        let result = YAMLLoader().load(fileAt: path)
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.id) == [.fileUnreadable])
        #expect(result.diagnostics.first?.message == "cannot read '\(path)': not valid UTF-8 text (first bad byte on line 2)")
    }
}

/// A fresh directory under the system's temporary directory, removed when released.
private final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("yaml-loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String {
        name.isEmpty ? url.path : url.appendingPathComponent(name).path
    }
}
