// Option tables of FULLY_CONNECTED, SOFTMAX, CONCATENATION, ADD, MUL and LEAKY_RELU.
// Field ids and defaults follow TFLite's `schema.fbs`.

/// `FullyConnectedOptions`: options of `FULLY_CONNECTED`.
public struct FullyConnectedOptions: Sendable, Equatable {
    /// `fused_activation_function` (default `NONE`).
    public var fusedActivation: ActivationFunctionType
    /// `weights_format` (default `DEFAULT`).
    public var weightsFormat: FullyConnectedWeightsFormat
    /// `keep_num_dims` (version 5+).
    public var keepNumDims: Bool
    /// `asymmetric_quantize_inputs` (version 7+, hybrid models).
    public var asymmetricQuantizeInputs: Bool
    /// `quantized_bias_type` (version 11+; default `FLOAT32`, meaning "not set").
    public var quantizedBiasType: TensorType

    /// Creates options; defaults are the schema's.
    public init(
        fusedActivation: ActivationFunctionType = .none,
        weightsFormat: FullyConnectedWeightsFormat = .default,
        keepNumDims: Bool = false,
        asymmetricQuantizeInputs: Bool = false,
        quantizedBiasType: TensorType = .float32
    ) {
        self.fusedActivation = fusedActivation
        self.weightsFormat = weightsFormat
        self.keepNumDims = keepNumDims
        self.asymmetricQuantizeInputs = asymmetricQuantizeInputs
        self.quantizedBiasType = quantizedBiasType
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        fusedActivation = try table.enumValue(0, "fused_activation_function", default: .none)
        weightsFormat = try table.enumValue(1, "weights_format", default: .default)
        keepNumDims = try table.bool(2, "keep_num_dims")
        asymmetricQuantizeInputs = try table.bool(3, "asymmetric_quantize_inputs")
        quantizedBiasType = try table.enumValue(4, "quantized_bias_type", default: .float32)
    }
}

/// `SoftmaxOptions`: options of `SOFTMAX`.
public struct SoftmaxOptions: Sendable, Equatable {
    /// `beta` (default 0.0 in the schema; converters always write it).
    public var beta: Float

    /// Creates options; the default is the schema's.
    public init(beta: Float = 0) {
        self.beta = beta
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        beta = try table.float32(0, "beta")
    }
}

/// `ConcatenationOptions`: options of `CONCATENATION`.
public struct ConcatenationOptions: Sendable, Equatable {
    /// `axis` (may be negative: counted from the last dimension).
    public var axis: Int32
    /// `fused_activation_function` (default `NONE`).
    public var fusedActivation: ActivationFunctionType

    /// Creates options; defaults are the schema's.
    public init(axis: Int32 = 0, fusedActivation: ActivationFunctionType = .none) {
        self.axis = axis
        self.fusedActivation = fusedActivation
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        axis = try table.int32(0, "axis")
        fusedActivation = try table.enumValue(1, "fused_activation_function", default: .none)
    }
}

/// `AddOptions`: options of `ADD`.
public struct AddOptions: Sendable, Equatable {
    /// `fused_activation_function` (default `NONE`).
    public var fusedActivation: ActivationFunctionType
    /// `pot_scale_int16` (default `true`; only meaningful for int16).
    public var potScaleInt16: Bool

    /// Creates options; defaults are the schema's.
    public init(fusedActivation: ActivationFunctionType = .none, potScaleInt16: Bool = true) {
        self.fusedActivation = fusedActivation
        self.potScaleInt16 = potScaleInt16
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        fusedActivation = try table.enumValue(0, "fused_activation_function", default: .none)
        potScaleInt16 = try table.bool(1, "pot_scale_int16", default: true)
    }
}

/// `MulOptions`: options of `MUL`.
public struct MulOptions: Sendable, Equatable {
    /// `fused_activation_function` (default `NONE`).
    public var fusedActivation: ActivationFunctionType

    /// Creates options; the default is the schema's.
    public init(fusedActivation: ActivationFunctionType = .none) {
        self.fusedActivation = fusedActivation
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        fusedActivation = try table.enumValue(0, "fused_activation_function", default: .none)
    }
}

/// `LeakyReluOptions`: options of `LEAKY_RELU`.
public struct LeakyReluOptions: Sendable, Equatable {
    /// `alpha`: the slope for negative inputs.
    public var alpha: Float

    /// Creates options; the default is the schema's.
    public init(alpha: Float = 0) {
        self.alpha = alpha
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        alpha = try table.float32(0, "alpha")
    }
}
