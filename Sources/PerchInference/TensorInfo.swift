/// What a caller needs to know about a graph input or output tensor.
public struct TensorInfo: Equatable, Sendable {
    /// Tensor index in subgraph 0.
    public var index: Int
    /// The tensor's name in the model.
    public var name: String
    /// Static shape.
    public var shape: [Int]
    /// Element type.
    public var elementType: ElementType
    /// Quantization scale (per-tensor), when the tensor is quantized.
    public var scale: Float?
    /// Quantization zero point (per-tensor), when the tensor is quantized.
    public var zeroPoint: Int32?

    /// Creates a description of a tensor.
    public init(index: Int, name: String, shape: [Int], elementType: ElementType, scale: Float?, zeroPoint: Int32?) {
        self.index = index
        self.name = name
        self.shape = shape
        self.elementType = elementType
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// Number of elements (the product of the shape).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Bytes of the tensor's data.
    public var byteCount: Int { elementCount * elementType.byteCount }

    /// Real value of a quantized element: `scale · (q − zeroPoint)`; the raw value when not quantized.
    public func dequantize(_ quantized: Int32) -> Float {
        guard let scale, let zeroPoint else { return Float(quantized) }
        return scale * Float(quantized - zeroPoint)
    }
}
