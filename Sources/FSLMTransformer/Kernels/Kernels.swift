/// The hot loops of the forward pass, over raw `Float` buffers.
///
/// Conventions: activations are f32, row-major, `[rows, features]`; weights are `Tensor`s in
/// f32, f16 or bf16, stored `[out, in]` as in PyTorch's `Linear`, and read a row at a time
/// (never converted whole). Each kernel has a naive twin in `ReferenceKernels`, and
/// `KernelTests` compares the two on random shapes.
public enum Kernels {}

/// A scoped, zero-initialised f32 buffer for a forward pass's activations; freed at the end
/// of its scope.
struct FloatBuffer: ~Copyable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }

    /// The contents as an array (a copy).
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
