public import FSLMKernelInterface
import FSLMKernels
import FSLMKernelsAVX2
import FSLMKernelsAVX512
import Foundation

extension Kernels {
    /// The kernel set the forward pass uses: the best level this processor runs, or the one
    /// `$FSLM_KERNELS` names (`portable`, `avx2`, `avx512`) if the processor runs it.
    public static let active: KernelSet = {
        let available = availableSets
        if let wanted = ProcessInfo.processInfo.environment["FSLM_KERNELS"], let set = available.first(where: { $0.name == wanted }) {
            return set
        }
        return available.last!
    }()

    /// The active set's level: `portable`, `avx2` or `avx512`.
    public static var activeLevel: String { active.name }

    /// Every kernel set this processor can run, from the portable one up.
    public static let availableSets: [KernelSet] = {
        var sets = [portableKernels]
        #if arch(x86_64)
        let flags = CPUFeatures.current
        if flags.contains("avx2") && flags.contains("fma") { sets.append(avx2Kernels) }
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) { sets.append(avx512Kernels) }
        #endif
        return sets
    }()
}

/// The processor's feature flags as the operating system reports them (Linux: the `flags`
/// line of `/proc/cpuinfo`, which lists only features the kernel has enabled, AVX-512 state
/// saving included). Empty where unknown, which selects the portable kernels.
enum CPUFeatures {
    static let current: Set<String> = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }()
}
