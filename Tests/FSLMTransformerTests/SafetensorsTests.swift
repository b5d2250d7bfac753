import FSLMTransformer
import Foundation
import Testing

@Suite struct SafetensorsTests {
    typealias Writer = SafetensorsTestWriter

    /// Writes `bytes` as `model.safetensors` in a fresh folder and opens it.
    func open(_ bytes: [UInt8], name: String = "model.safetensors") throws -> SafetensorsFile {
        let folder = try Writer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The mapping outlives the unlinked file.
        return try SafetensorsFile(url: try Writer.write(bytes, to: folder, as: name))
    }

    /// Opening `bytes` fails with a SafetensorsError whose message contains `expected`.
    func expectFailure(_ bytes: [UInt8], _ expected: String, tensor: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try open(bytes)
            Issue.record("opened, expected an error containing \(expected)", sourceLocation: sourceLocation)
        } catch let error as SafetensorsError {
            #expect(error.description.hasPrefix("model.safetensors: "), sourceLocation: sourceLocation)
            #expect(error.description.contains(expected), "\(error)", sourceLocation: sourceLocation)
            if let tensor { #expect(error.tensor == tensor, sourceLocation: sourceLocation) }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func readsEveryDType() throws {
        let values: [Float] = [1.5, -2, 0.25, 1024]
        var writer = Writer()
        writer.addF32("a.f32", [2, 2], values)
        writer.add("b.f16", "F16", [4], values.flatMap { Writer.littleEndian(Float16($0).bitPattern) })
        writer.add("c.bf16", "BF16", [1, 4], values.flatMap { Writer.littleEndian(UInt16($0.bitPattern >> 16)) })
        writer.addF32("d.scalar", [], [7])
        writer.add("e.empty", "F32", [0, 3], [])
        let file = try open(writer.bytes())
        #expect(file.fileName == "model.safetensors")
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensorNames == ["a.f32", "b.f16", "c.bf16", "d.scalar", "e.empty"])
        for (name, dtype, shape) in [("a.f32", DType.f32, [2, 2]), ("b.f16", .f16, [4]), ("c.bf16", .bf16, [1, 4])] {
            let tensor = try #require(file.tensor(name))
            #expect(tensor.dtype == dtype)
            #expect(tensor.shape == shape)
            #expect(tensor.floats() == values, "\(name)")
            #expect(ObjectIdentifier(tensor.owner) == ObjectIdentifier(file))
        }
        #expect(file.tensor("d.scalar")?.floats() == [7])
        #expect(file.tensor("e.empty")?.count == 0)
        #expect(file.tensor("absent") == nil)
    }

    @Test func tensorsKeepTheMappingAlive() throws {
        var writer = Writer()
        writer.addF32("w", [3], [1, 2, 3])
        let tensor = try #require(try open(writer.bytes()).tensor("w"))
        #expect(tensor.floats() == [1, 2, 3])
    }

    @Test func readsAFileWithoutMetadataOrTensors() throws {
        var writer = Writer()
        writer.metadata = nil
        #expect(try open(writer.bytes()).tensorNames.isEmpty)
    }

    /// Checkpoints carry buffers of other dtypes (Pythia's BOOL attention masks): the file opens,
    /// they stay out of the store, and asking for one names its dtype.
    @Test func keepsTensorsOfOtherDTypesOutOfTheStoreAndNamesThem() throws {
        var writer = Writer()
        writer.addF32("w", [2], [1, 2])
        writer.add("mask", "BOOL", [2, 2], [1, 0, 1, 1])
        writer.add("ids", "I64", [2], Writer.littleEndian(Int64(5)) + Writer.littleEndian(Int64(6)))
        writer.add("d", "F64", [1], Writer.littleEndian((0.5).bitPattern))
        writer.add("u", "U8", [3], [1, 2, 3])
        let file = try open(writer.bytes())
        #expect(file.tensorNames == ["w"])
        #expect(file.unsupportedTensors == ["mask": "BOOL", "ids": "I64", "d": "F64", "u": "U8"])
        #expect(file.tensor("ids") == nil)
        #expect(throws: SafetensorsError(file: "model.safetensors", tensor: "ids",
            "tensor 'ids' has dtype I64, which fslm does not read (it reads F32, F16, BF16)")) {
            try file.checkedTensor("ids")
        }
        #expect(try file.checkedTensor("w").floats() == [1, 2])
        #expect(throws: SafetensorsError.self) { try file.checkedTensor("nope") }
    }

    @Test func rejectsAnUnknownDType() {
        var writer = Writer()
        writer.add("q", "Q4_K", [2], [0, 0])
        expectFailure(writer.bytes(), "tensor 'q' has unknown dtype 'Q4_K'", tensor: "q")
    }

    @Test func rejectsEmptyAndTinyFiles() {
        expectFailure([], "empty file (0 bytes)")
        expectFailure([1, 2, 3, 4, 5], "file is 5 bytes, too short for the 8-byte header length")
    }

    @Test func rejectsAHeaderLengthPastTheEnd() {
        var writer = Writer()
        writer.addF32("w", [2], [1, 2])
        let bytes = Writer.file(header: writer.headerJSON(), data: [1, 2, 3, 4, 5, 6, 7, 8], declaredLength: 4096)
        expectFailure(bytes, "header length 4096 runs past the end of the file (\(bytes.count) bytes)")
        expectFailure(Writer.file(header: "{}", data: [], declaredLength: 1 << 40), "over the 100000000-byte limit")
        expectFailure(Writer.file(header: "{}", data: [], declaredLength: .max), "header length 18446744073709551615 is over")
    }

    @Test func rejectsATruncatedFile() {
        var writer = Writer()
        writer.addF32("a", [4], [1, 2, 3, 4])
        writer.addF32("b", [4], [5, 6, 7, 8])
        let bytes = writer.bytes()
        expectFailure(Array(bytes.dropLast(6)), "tensor 'b' has data_offsets [16, 32] past the end of the data section (26 bytes)", tensor: "b")
        expectFailure(Array(bytes.prefix(20)), "runs past the end of the file (20 bytes)")
    }

    @Test func rejectsAHeaderThatIsNotAJSONObject() {
        expectFailure(Writer.file(header: "{\"w\": {\"dtype\": ", data: []), "header is not valid JSON (unexpected end, expected a value at byte 16)")
        expectFailure(Writer.file(header: "hello world", data: []), "header is not valid JSON (expected a value at byte 0)")
        expectFailure(Writer.file(header: "[1, 2]", data: []), "header is [1, 2], not a JSON object")
        expectFailure(Writer.file(header: "", data: []), "header is not valid JSON (unexpected end, expected a value at byte 0)")
        expectFailure(Writer.littleEndian(UInt64(8)) + [0x7B, 0xFF, 0xFE, 0x7D, 0x20, 0x20, 0x20, 0x20], "header is not valid UTF-8")
    }

    @Test func rejectsBadMetadata() {
        expectFailure(Writer.file(header: #"{"__metadata__":{"format":1}}"#, data: []), "__metadata__ 'format' is 1, not a string")
        expectFailure(Writer.file(header: #"{"__metadata__":[]}"#, data: []), "__metadata__ is [], not an object of strings")
    }

    @Test func rejectsASizeMismatch() {
        let name = "gpt_neox.layers.0.attention.dense.weight"
        let header = #"{"\#(name)":\#(Writer.entryJSON("F32", [4, 8], 0, 96))}"#
        expectFailure(Writer.file(header: header, data: Array(repeating: 0, count: 96)),
            "tensor '\(name)' has data_offsets [0, 96] but shape [4, 8] of F32 needs 128 bytes", tensor: name)
        let bf16 = #"{"h":\#(Writer.entryJSON("BF16", [3], 0, 12))}"#
        expectFailure(Writer.file(header: bf16, data: Array(repeating: 0, count: 12)), "shape [3] of BF16 needs 6 bytes")
    }

    @Test func rejectsOffsetsPastTheData() {
        let header = #"{"w":\#(Writer.entryJSON("F32", [2], 8, 16))}"#
        expectFailure(Writer.file(header: header, data: Array(repeating: 0, count: 12)),
            "tensor 'w' has data_offsets [8, 16] past the end of the data section (12 bytes)", tensor: "w")
    }

    @Test func rejectsOverlappingTensors() {
        let header = #"{"a":\#(Writer.entryJSON("F32", [4], 0, 16)),"b":\#(Writer.entryJSON("F32", [4], 8, 24))}"#
        expectFailure(Writer.file(header: header, data: Array(repeating: 0, count: 24)),
            "tensors 'a' [0, 16] and 'b' [8, 24] overlap", tensor: "b")
        let same = #"{"a":\#(Writer.entryJSON("F32", [4], 0, 16)),"b":\#(Writer.entryJSON("F32", [4], 0, 16))}"#
        expectFailure(Writer.file(header: same, data: Array(repeating: 0, count: 16)), "tensors 'a' [0, 16] and 'b' [0, 16] overlap")
    }

    @Test func rejectsBytesThatBelongToNoTensor() {
        let gap = #"{"a":\#(Writer.entryJSON("F32", [1], 0, 4)),"b":\#(Writer.entryJSON("F32", [1], 8, 12))}"#
        expectFailure(Writer.file(header: gap, data: Array(repeating: 0, count: 12)), "bytes [4, 8] of the data section belong to no tensor")
        let trailing = #"{"a":\#(Writer.entryJSON("F32", [1], 0, 4))}"#
        expectFailure(Writer.file(header: trailing, data: Array(repeating: 0, count: 8)), "4 bytes after the last tensor")
    }

    @Test func rejectsMalformedTensorEntries() {
        let cases: [(String, String)] = [
            (#"{"w": 3}"#, "tensor 'w' is 3, not an object"),
            (#"{"w": {"shape": [1], "data_offsets": [0, 4]}}"#, "tensor 'w' has no string 'dtype' (absent)"),
            (#"{"w": {"dtype": "F32", "data_offsets": [0, 4]}}"#, "tensor 'w' has shape absent, not a list of sizes"),
            (#"{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#, "tensor 'w' has shape [-1], not a list of sizes"),
            (#"{"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}"#, "not a list of sizes"),
            (#"{"w": {"dtype": "F32", "shape": [1]}}"#, "tensor 'w' has data_offsets absent"),
            (#"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}"#, "has data_offsets [4, 0], not [begin, end] with begin <= end"),
            (#"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0]}}"#, "has data_offsets [0], not [begin, end]"),
            (#"{"w": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 4]}}"#, "too large to address"),
        ]
        for (header, expected) in cases {
            expectFailure(Writer.file(header: header, data: [0, 0, 0, 0]), expected, tensor: "w")
        }
    }

    @Test func rejectsAFolderOrAMissingFile() throws {
        let folder = try Writer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(url: folder) }
        do {
            _ = try SafetensorsFile(url: folder.appendingPathComponent("none.safetensors"))
            Issue.record("opened a missing file")
        } catch {
            #expect("\(error)".hasPrefix("none.safetensors: cannot open"))
        }
    }

    /// As transformers writes them: the header padded with spaces so the data is 8-byte aligned.
    @Test func readsAHeaderPaddedWithSpaces() throws {
        let header = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"# + "      "
        let bytes = Writer.littleEndian(UInt64(header.utf8.count)) + Array(header.utf8)
            + Writer.littleEndian(Float(3).bitPattern) + Writer.littleEndian(Float(4).bitPattern)
        #expect(try open(bytes).tensor("w")?.floats() == [3, 4])
    }

    /// JSON readers disagree on duplicate keys (first or last wins), so a header with one is refused.
    @Test func rejectsADuplicateTensorName() {
        let header = #"{"a":\#(Writer.entryJSON("F32", [4], 0, 16)),"a":\#(Writer.entryJSON("F32", [2], 0, 8))}"#
        expectFailure(Writer.file(header: header, data: Array(repeating: 0, count: 16)), "header is not valid JSON (duplicate key 'a' at byte 55)")
    }

    @Test func rejectsDeepNestingWithoutCrashing() {
        let header = #"{"__metadata__":"# + String(repeating: "[", count: 100_000)
        expectFailure(Writer.file(header: header, data: []), "nesting deeper than 128")
    }

    @Test func readsEscapedTensorNamesAndPlacesSyntaxErrors() throws {
        let header = #"{"caf\u00e9 \"q\" \ud83d\ude00":\#(Writer.entryJSON("F32", [1], 0, 4))}"#
        let file = try open(Writer.file(header: header, data: Writer.littleEndian(Float(2).bitPattern)))
        #expect(file.tensorNames == ["café \"q\" 😀"])
        expectFailure(Writer.file(header: #"{"a\x": 1}"#, data: []), "invalid escape in a string at byte 3")
        expectFailure(Writer.file(header: #"{"a": 01}"#, data: []), "expected ',' or '}' at byte 7")
        expectFailure(Writer.file(header: #"{"a": 1,}"#, data: []), "expected a key in quotes at byte 8")
        expectFailure(Writer.file(header: "{\"a\n\": 1}", data: []), "control character in a string at byte 3")
        expectFailure(Writer.file(header: #"{"a": "\ud800"}"#, data: []), "unpaired surrogate")
        expectFailure(Writer.file(header: #"{} {}"#, data: []), "unexpected text after the JSON value at byte 3")
    }
}
