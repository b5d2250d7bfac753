import FSLMTestSupport
import Foundation
import Testing

/// `fslm export-merged`: the merged folder it writes generates, with `fslm generate`, what the
/// base model with the adapter does.
@Suite struct ExportMergedCommandTests {
    @Test(arguments: NativeFixture.modelNames)
    func theMergedFolderGeneratesWhatBasePlusAdapterDoes(_ name: String) throws {
        let scratch = try ScratchFile("merged")
        defer { scratch.remove() }
        let folder = NativeFixture.modelFolder(name).path
        let export = try CLI.run(["export-merged", "--model", folder, "--adapter", "\(folder)/adapter", "--out", scratch.path])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.hasPrefix("merged ") && export.stderr.contains("weights into \(scratch.path)/model.safetensors"), "\(export.stderr)")
        let prompt = try #require(try NativeFixture.load().models[name]?.prompts.first)
        let merged = try CLI.run(["generate", "--model", scratch.path, "--max-tokens", "12", prompt.prompt])
        let applied = try CLI.run(["generate", "--model", folder, "--adapter", "\(folder)/adapter", "--max-tokens", "12", prompt.prompt])
        #expect(merged.status == 0 && applied.status == 0, "\(merged.stderr) \(applied.stderr)")
        #expect(merged.stdout == applied.stdout)
        #expect(merged.stdout == prompt.greedy["adapter"]!.text + "\n")
    }

    @Test func aFullOutputFolderOrAMissingAdapterIsAnError() throws {
        let scratch = try ScratchFile("merged")
        defer { scratch.remove() }
        let folder = NativeFixture.modelFolder("llama").path
        try scratch.write("x", to: "merged/keep.txt")
        let full = try CLI.run(["export-merged", "--model", folder, "--adapter", "\(folder)/adapter", "--out", scratch.path])
        #expect(full.status == 1 && full.stderr == "error: --out \(scratch.path): the folder is not empty\n", "\(full.stderr)")
        let missing = try CLI.run(["export-merged", "--model", folder, "--adapter", "\(folder)/nope", "--out", scratch.path + "2"])
        defer { try? FileManager.default.removeItem(atPath: scratch.path + "2") }
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error: ") && missing.stderr.contains("\(folder)/nope"), "\(missing.stderr)")
        let usage = try CLI.run(["export-merged", "--model", folder])
        #expect(usage.status == 64, "\(usage.stderr)")
    }
}
