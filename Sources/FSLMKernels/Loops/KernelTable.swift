import FSLMKernelInterface

/// This module's loops as a `KernelSet` (the module's `Level.swift` says which level it is).
func makeKernelSet() -> KernelSet {
    KernelSet(
        name: levelName, lanes: lanes, panelRows: panelVectors * lanes, panelColumns: panelColumns,
        matmulF32: { matmul(F32Pairs.self, $0) }, matmulF16: { matmul(F16Pairs.self, $0) },
        matmulBF16: { matmul(BF16Pairs.self, $0) }, matmulQ8: { matmulQ8($0) },
        panelF32: { matmulPanel(F32Pairs.self, $0) }, panelF16: { matmulPanel(F16Pairs.self, $0) },
        panelBF16: { matmulPanel(BF16Pairs.self, $0) }, panelQ8: { matmulPanelQ8($0) },
        prepareForPairs: { prepareForPairs($0, count: $1, into: $2) }, prepareForQ8: { prepareForQ8($0, count: $1, into: $2) },
        gelu: { gelu($0, $1) }, geluTanh: { geluTanh($0, $1) }, silu: { silu($0, $1) }, softmax: { softmax($0, $1) },
        layerNorm: { layerNorm($0, $1, $2, $3, $4, $5) }, rmsNorm: { rmsNorm($0, $1, $2, $3, $4) },
        attendHead: { attendHead($0) }, attendQueries: { attendQueries($0, $1, $2) })
}
