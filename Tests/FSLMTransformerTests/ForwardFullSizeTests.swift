import Foundation
import FSLMTransformer
import Testing

/// Memory and speed on a random model of Pythia-160M's shape, written by
/// `make_golden.py --full-size DIR` (not committed). Runs only when `FSLM_FULL_SIZE_MODEL`
/// names that folder; meaningful in release:
///
///     FSLM_FULL_SIZE_MODEL=/tmp/pythia160m swift test -c release --filter ForwardFullSizeTests
@Suite struct ForwardFullSizeTests {
    static let folder = ProcessInfo.processInfo.environment["FSLM_FULL_SIZE_MODEL"].flatMap { $0.isEmpty ? nil : $0 }

    struct Reference: Decodable {
        let config: Golden.Config
        let prompt: [Int]
        let last_logits: [Float]
    }

    @Test(.enabled(if: folder != nil, "set FSLM_FULL_SIZE_MODEL to a make_golden.py --full-size folder"))
    func pythia160mShapedModelMatchesAndIsMeasured() throws {
        let url = URL(fileURLWithPath: Self.folder!)
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url.appendingPathComponent("golden.json")))
        let golden = Golden(config: reference.config, prompts: [], cases: [], min_greedy_gap: 0)
        let clock = ContinuousClock()

        var start = clock.now
        let model = try loadTransformerModel(config: golden.modelConfig, weights: SafetensorsFile(url: url.appendingPathComponent("model.safetensors")))
        let load = clock.now - start

        var cache = model.makeCache()
        start = clock.now
        var logits = try model.forward(tokens: reference.prompt, cache: &cache, adapter: nil)
        let prefill = clock.now - start
        let error = maxAbsDifference(logits, reference.last_logits)
        #expect(error < 1e-3, "max |Δlogit| \(error)")

        let steps = 16
        start = clock.now
        for _ in 0..<steps { logits = try model.forward(tokens: [argmax(logits)], cache: &cache, adapter: nil) }
        let decode = clock.now - start

        print("""
            full-size (Pythia-160M shape, f32): load \(load), prefill \(reference.prompt.count) tokens \(prefill) \
            (\(Double(reference.prompt.count) / prefill.seconds) tok/s), decode \(Double(steps) / decode.seconds) tok/s, \
            peak RSS \(peakResidentMegabytes()) MB, max |Δlogit| vs transformers \(error)
            """)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// VmHWM from /proc/self/status, in MB.
func peakResidentMegabytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return -1 }
    return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
}
