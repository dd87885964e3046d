/// A tensor's `QuantizationParameters`: real = scale × (q − zero_point).
///
/// Values are exposed as stored. The reader only checks that `scale` and `zero_point` have the same
/// length when both are present (TFLite requires it; TFLite Micro would read past the shorter one).
/// `quantizedDimension` is not checked against the shape: TOCO-era models such as `person_detect.tflite`
/// store 3 on one-dimensional bias tensors, which TFLite Micro ignores — see ``channelAxis(rank:)``.
public struct Quantization: Sendable, Equatable {
    /// `scale`: one value (per-tensor) or one per channel along ``quantizedDimension``.
    public let scale: [Float]
    /// `zero_point`: same length as ``scale`` when both are present.
    public let zeroPoint: [Int64]
    /// `quantized_dimension`: the channel axis of per-channel quantization, as stored.
    public let quantizedDimension: Int32
    /// `min`: the float range the converter saw (informational).
    public let min: [Float]
    /// `max`: the float range the converter saw (informational).
    public let max: [Float]
    /// The `details` union type: 0 = none, 1 = `CustomQuantization` (then the affine fields do not apply).
    public let detailsType: UInt8

    /// Creates quantization parameters.
    public init(
        scale: [Float],
        zeroPoint: [Int64],
        quantizedDimension: Int32 = 0,
        min: [Float] = [],
        max: [Float] = [],
        detailsType: UInt8 = 0
    ) {
        self.scale = scale
        self.zeroPoint = zeroPoint
        self.quantizedDimension = quantizedDimension
        self.min = min
        self.max = max
        self.detailsType = detailsType
    }

    /// Whether these are usable affine parameters: scale and zero point present and no custom details
    /// (TFLite's test for a quantized tensor).
    public var isAffine: Bool {
        !scale.isEmpty && !zeroPoint.isEmpty && detailsType == 0
    }

    /// Whether there is more than one scale (per-channel quantization).
    public var isPerChannel: Bool { scale.count > 1 }

    /// The axis the per-channel scales run along for a tensor of `rank` dimensions, the way TFLite Micro
    /// interprets it: ``quantizedDimension`` when it is a valid axis; for a one-dimensional tensor always
    /// axis 0 (person_detect's biases store 3 there); otherwise `nil` (the model is inconsistent).
    ///
    /// - Parameter rank: The number of dimensions of the tensor.
    /// - Returns: The channel axis, or `nil`.
    public func channelAxis(rank: Int) -> Int? {
        if rank == 1 { return 0 }
        guard quantizedDimension >= 0, Int(quantizedDimension) < rank else { return nil }
        return Int(quantizedDimension)
    }
}

extension ModelDecoder {
    /// Decodes a `QuantizationParameters` table.
    ///
    /// - Throws: ``ModelError/quantizationCountMismatch(scales:zeroPoints:field:)``,
    ///   ``ModelError/unknownUnionType(_:offset:field:)`` for a `details` type other than 0 or 1.
    mutating func quantization(_ table: FlatBufferTable) throws(ModelError) -> Quantization {
        let min = try float32s(table, 0, "min") ?? []
        let max = try float32s(table, 1, "max") ?? []
        let scale = try float32s(table, 2, "scale") ?? []
        let zeroPoint = try int64s(table, 3, "zero_point") ?? []
        let detailsName = "details_type"
        let detailsType = try table.uint8(4, detailsName)
        if detailsType > 1, let at = try table.fieldOffset(4, size: 1, name: detailsName) {
            throw .unknownUnionType(detailsType, offset: at, field: table.path.appending(detailsName))
        }
        if detailsType == 1 {
            _ = try table.table(5, "details")  // validated, not decoded: custom quantization is unsupported.
        }
        let quantizedDimension = try table.int32(6, "quantized_dimension")
        if !scale.isEmpty, !zeroPoint.isEmpty, scale.count != zeroPoint.count {
            throw .quantizationCountMismatch(scales: scale.count, zeroPoints: zeroPoint.count, field: table.path)
        }
        return Quantization(
            scale: scale,
            zeroPoint: zeroPoint,
            quantizedDimension: quantizedDimension,
            min: min,
            max: max,
            detailsType: detailsType
        )
    }
}
