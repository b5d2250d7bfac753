import FSLMTestSupport
import Foundation
import Testing

/// The corpus of malformed workflows: each `Tests/Fixtures/workflows/invalid/NN-name.yaml` sits
/// beside a hand-written `NN-name.diagnostics` listing every error and warning `fslm validate`
/// must report, one per line as `LINE:COL: SEVERITY: MESSAGE-FRAGMENT`. A `LINE:COL: note: ...`
/// line expects a note on the diagnostic above it, at the note's own place or else its
/// diagnostic's; notes not listed are not checked. Lines starting with `#` are comments.
@Suite struct InvalidWorkflowTests {
    /// The corpus folder, relative to the package root (where `CLI.run` runs the binary).
    static let folder = "Tests/Fixtures/workflows/invalid"

    /// The fixtures' names without extension, as found on disk, sorted.
    static let names: [String] = files(endingWith: ".yaml")

    private static func files(endingWith suffix: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("workflows/invalid").path)) ?? []
        return entries.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.sorted()
    }

    @Test func corpusIsLargeAndEveryFixtureHasItsExpectations() {
        #expect(Self.names.count >= 45, "only \(Self.names.count) fixtures in \(Self.folder)")
        #expect(Self.files(endingWith: ".diagnostics") == Self.names,
                "each NN-name.yaml needs an NN-name.diagnostics and the other way round")
        let badlyNamed = Self.names.filter { name in
            let parts = name.split(separator: "-", maxSplits: 1)
            return parts.count != 2 || parts[0].count != 2 || Int(parts[0]) == nil
                || !parts[1].allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }
        }
        #expect(badlyNamed.isEmpty, "fixture names must be NN-short-name: \(badlyNamed)")
    }

    @Test(arguments: names)
    func validateReportsExactlyTheExpectedDiagnostics(_ name: String) throws {
        let path = "\(Self.folder)/\(name).yaml"
        let expectationsURL = Fixtures.url("workflows/invalid/\(name).diagnostics")
        let expected = try ExpectedDiagnostic.parseFile(String(contentsOf: expectationsURL, encoding: .utf8))
        #expect(!expected.isEmpty, "\(name).diagnostics expects nothing; a workflow without diagnostics belongs in valid/")

        let json = try CLI.run(["validate", "--format", "json", path])
        let actual = try #require(try? ReportedDiagnostic.decodeList(json.stdout),
                                  "\(name): stdout is not a JSON array of diagnostics:\n\(json.stdout)\n\(json.stderr)")
        let report = "\(name):\n  expected:\n\(indent(expected))\n  actual:\n\(indent(actual))"

        let expectsError = expected.contains { $0.main.severity == "error" }
        #expect(json.status == (expectsError ? 1 : 0), "exit status \(json.status) for \(report)")
        let (missing, unexpected) = ExpectedDiagnostic.match(expected, actual)
        #expect(missing.isEmpty, "not reported:\n\(indent(missing))\nfor \(report)")
        #expect(unexpected.isEmpty, "reported but not expected:\n\(indent(unexpected))\nfor \(report)")
        #expect(actual.allSatisfy { !$0.message.isEmpty && $0.notes.allSatisfy { !$0.message.isEmpty } },
                "an empty message in \(report)")
        #expect(actual.allSatisfy { $0.file == path && $0.line != nil && $0.column != nil },
                "a diagnostic not located in \(path): \(report)")

        let text = try CLI.run(["validate", path])
        #expect(text.status == json.status, "\(name): text format exits \(text.status), JSON format \(json.status)")
        for line in expected.flatMap({ [$0.main] + $0.notes }) {
            let header = "\(path):\(line.line):\(line.column): \(line.severity): "
            #expect(text.stderr.contains(header), "\(name): stderr lacks '\(header)'; stderr was:\n\(text.stderr)")
        }
    }

    private func indent(_ items: [some CustomStringConvertible]) -> String {
        items.isEmpty ? "    (none)" : items.map { "    " + $0.description.replacingOccurrences(of: "\n", with: "\n    ") }
            .joined(separator: "\n")
    }
}
