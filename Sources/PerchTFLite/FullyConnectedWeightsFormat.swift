/// How a fully connected operator's weights are laid out (`FullyConnectedOptionsWeightsFormat`).
public enum FullyConnectedWeightsFormat: Int8, Sendable, CaseIterable {
    /// `DEFAULT`: row-major `[outputs, inputs]`.
    case `default` = 0
    /// `SHUFFLED4x16INT8`: the shuffled layout of TFLite's optimized uint8 kernel.
    case shuffled4x16Int8 = 1
}
