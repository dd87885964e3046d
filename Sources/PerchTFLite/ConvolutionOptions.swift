// Option tables of the windowed operators: CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D / MAX_POOL_2D.
// Field ids and defaults follow TFLite's `schema.fbs`; values are exposed raw (strides and dilations are
// validated by the kernels' Prepare, not here).

/// `Conv2DOptions`: options of `CONV_2D`.
public struct Conv2DOptions: Sendable, Equatable {
    /// `padding` (default `SAME`).
    public var padding: Padding
    /// `stride_w`.
    public var strideW: Int32
    /// `stride_h`.
    public var strideH: Int32
    /// `fused_activation_function` (default `NONE`).
    public var fusedActivation: ActivationFunctionType
    /// `dilation_w_factor` (default 1).
    public var dilationW: Int32
    /// `dilation_h_factor` (default 1).
    public var dilationH: Int32
    /// `quantized_bias_type` (version 8+; default `FLOAT32`, meaning "not set").
    public var quantizedBiasType: TensorType

    /// Creates options; defaults are the schema's.
    public init(
        padding: Padding = .same,
        strideW: Int32 = 0,
        strideH: Int32 = 0,
        fusedActivation: ActivationFunctionType = .none,
        dilationW: Int32 = 1,
        dilationH: Int32 = 1,
        quantizedBiasType: TensorType = .float32
    ) {
        self.padding = padding
        self.strideW = strideW
        self.strideH = strideH
        self.fusedActivation = fusedActivation
        self.dilationW = dilationW
        self.dilationH = dilationH
        self.quantizedBiasType = quantizedBiasType
    }

    /// Decodes the table; an absent table (union type set, value missing) gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        padding = try table.enumValue(0, "padding", default: .same)
        strideW = try table.int32(1, "stride_w")
        strideH = try table.int32(2, "stride_h")
        fusedActivation = try table.enumValue(3, "fused_activation_function", default: .none)
        dilationW = try table.int32(4, "dilation_w_factor", default: 1)
        dilationH = try table.int32(5, "dilation_h_factor", default: 1)
        quantizedBiasType = try table.enumValue(6, "quantized_bias_type", default: .float32)
    }
}

/// `DepthwiseConv2DOptions`: options of `DEPTHWISE_CONV_2D`.
public struct DepthwiseConv2DOptions: Sendable, Equatable {
    /// `padding` (default `SAME`).
    public var padding: Padding
    /// `stride_w`.
    public var strideW: Int32
    /// `stride_h`.
    public var strideH: Int32
    /// `depth_multiplier` (redundant with the shapes; TFLite ≥ 2.x ignores it).
    public var depthMultiplier: Int32
    /// `fused_activation_function` (default `NONE`).
    public var fusedActivation: ActivationFunctionType
    /// `dilation_w_factor` (default 1).
    public var dilationW: Int32
    /// `dilation_h_factor` (default 1).
    public var dilationH: Int32

    /// Creates options; defaults are the schema's.
    public init(
        padding: Padding = .same,
        strideW: Int32 = 0,
        strideH: Int32 = 0,
        depthMultiplier: Int32 = 0,
        fusedActivation: ActivationFunctionType = .none,
        dilationW: Int32 = 1,
        dilationH: Int32 = 1
    ) {
        self.padding = padding
        self.strideW = strideW
        self.strideH = strideH
        self.depthMultiplier = depthMultiplier
        self.fusedActivation = fusedActivation
        self.dilationW = dilationW
        self.dilationH = dilationH
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        padding = try table.enumValue(0, "padding", default: .same)
        strideW = try table.int32(1, "stride_w")
        strideH = try table.int32(2, "stride_h")
        depthMultiplier = try table.int32(3, "depth_multiplier")
        fusedActivation = try table.enumValue(4, "fused_activation_function", default: .none)
        dilationW = try table.int32(5, "dilation_w_factor", default: 1)
        dilationH = try table.int32(6, "dilation_h_factor", default: 1)
    }
}

/// `Pool2DOptions`: options of `AVERAGE_POOL_2D`, `MAX_POOL_2D` and `L2_POOL_2D`.
public struct Pool2DOptions: Sendable, Equatable {
    /// `padding` (default `SAME`).
    public var padding: Padding
    /// `stride_w`.
    public var strideW: Int32
    /// `stride_h`.
    public var strideH: Int32
    /// `filter_width`.
    public var filterWidth: Int32
    /// `filter_height`.
    public var filterHeight: Int32
    /// `fused_activation_function` (default `NONE`).
    public var fusedActivation: ActivationFunctionType

    /// Creates options; defaults are the schema's.
    public init(
        padding: Padding = .same,
        strideW: Int32 = 0,
        strideH: Int32 = 0,
        filterWidth: Int32 = 0,
        filterHeight: Int32 = 0,
        fusedActivation: ActivationFunctionType = .none
    ) {
        self.padding = padding
        self.strideW = strideW
        self.strideH = strideH
        self.filterWidth = filterWidth
        self.filterHeight = filterHeight
        self.fusedActivation = fusedActivation
    }

    /// Decodes the table; an absent table gives the defaults.
    init(table: FlatBufferTable?) throws(ModelError) {
        self.init()
        guard let table else { return }
        padding = try table.enumValue(0, "padding", default: .same)
        strideW = try table.int32(1, "stride_w")
        strideH = try table.int32(2, "stride_h")
        filterWidth = try table.int32(3, "filter_width")
        filterHeight = try table.int32(4, "filter_height")
        fusedActivation = try table.enumValue(5, "fused_activation_function", default: .none)
    }
}
