// MARK: - Requantizer constants loaded from a kernel's per-channel arrays

extension LaneRequantizer {
    /// Loads the constants of channels `c ..< c + 8`.
    @_transparent
    init(_ k: DotKernels.Constants, channel c: Int) {
        self.init(
            multiplier: DotKernels.load8(k.multipliers + c), shift: DotKernels.load8(k.shifts + c),
            offset: k.outputOffset, min: k.activationMin, max: k.activationMax)
    }
}
