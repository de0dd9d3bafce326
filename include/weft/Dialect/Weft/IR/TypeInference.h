//===- TypeInference.h - Result types of weft operations --------*- C++ -*-===//
//
// The shape rules of the weft operations, shared by their verifiers, the
// shape inference pass and the lowerings. Each `infer*` function appends the
// result type to `results`, or emits an error at `loc` (when given) and fails.
// An unranked operand yields an unranked result of the same element type.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_DIALECT_WEFT_IR_TYPEINFERENCE_H
#define WEFT_DIALECT_WEFT_IR_TYPEINFERENCE_H

#include "mlir/IR/Location.h"
#include "mlir/IR/TypeRange.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>
#include <utility>

namespace mlir::weft {

enum class LossReduction : uint32_t;

/// True when each pair of types has the same element type and no known size
/// disagrees; an unranked tensor is compatible with any tensor.
bool areCompatibleTensorTypes(TypeRange lhs, TypeRange rhs);

/// Prints a tensor type in the language's notation: `f32[4, 10]`, `f32[?, 8]`,
/// `f32[*]` for unranked, `f32` for rank 0.
std::string formatType(Type type);

/// Normalizes reduction or permutation axes (negative counts from the end);
/// std::nullopt when an axis is out of range or repeated.
std::optional<llvm::SmallVector<int64_t>>
normalizeAxes(llvm::ArrayRef<int64_t> axes, int64_t rank);

/// The gradients of `loss`, a float scalar, with respect to values of
/// `wrt`'s types: those types.
LogicalResult inferGradientTypes(std::optional<Location> loc, Type loss,
                                 TypeRange wrt,
                                 llvm::SmallVectorImpl<Type> &results);

/// A loss over classes (`cross_entropy`, `nll_loss`, named `name`): `input`
/// `[N, C, d1, ...]`, `target` `[N, d1, ...]` indices, `weight` (null when
/// absent) `[C]`; the per-element losses (`none`) or a scalar.
LogicalResult inferClassLossType(std::optional<Location> loc,
                                 llvm::StringRef name, Type input, Type target,
                                 Type weight, LossReduction reduction,
                                 llvm::SmallVectorImpl<Type> &results);
/// An optional weight operand of a loss: its name in messages and its type
/// (null when absent).
using NamedWeight = std::pair<llvm::StringRef, Type>;
/// An elementwise loss of `input` and `target` (broadcasting), scaled by
/// `weights` that broadcast to the losses' shape.
LogicalResult inferPointwiseLossType(std::optional<Location> loc,
                                     llvm::StringRef name, Type input,
                                     Type target, LossReduction reduction,
                                     llvm::SmallVectorImpl<Type> &results,
                                     llvm::ArrayRef<NamedWeight> weights = {});

LogicalResult inferBroadcastType(std::optional<Location> loc, Type lhs,
                                 Type rhs,
                                 llvm::SmallVectorImpl<Type> &results);
/// A broadcast of two tensors of one element type, with boolean elements.
LogicalResult inferCompareType(std::optional<Location> loc, Type lhs, Type rhs,
                               llvm::SmallVectorImpl<Type> &results);
/// A broadcast of the three operands, with the values' element type.
LogicalResult inferWhereType(std::optional<Location> loc, Type condition,
                             Type onTrue, Type onFalse,
                             llvm::SmallVectorImpl<Type> &results);
LogicalResult inferMatmulType(std::optional<Location> loc, Type lhs, Type rhs,
                              llvm::SmallVectorImpl<Type> &results);
LogicalResult inferLinearType(std::optional<Location> loc, Type input,
                              Type weight, Type bias,
                              llvm::SmallVectorImpl<Type> &results);
LogicalResult inferReductionType(std::optional<Location> loc, Type input,
                                 std::optional<llvm::ArrayRef<int64_t>> axes,
                                 bool keepdim,
                                 llvm::SmallVectorImpl<Type> &results);
LogicalResult inferBroadcastToType(std::optional<Location> loc, Type input,
                                   llvm::ArrayRef<int64_t> shape,
                                   llvm::SmallVectorImpl<Type> &results);
LogicalResult inferReshapeType(std::optional<Location> loc, Type input,
                               llvm::ArrayRef<int64_t> shape,
                               llvm::SmallVectorImpl<Type> &results);
LogicalResult inferTransposeType(std::optional<Location> loc, Type input,
                                 llvm::ArrayRef<int64_t> permutation,
                                 llvm::SmallVectorImpl<Type> &results);

/// Softmax-like ops: the result has the input's type; `axis` must exist.
LogicalResult inferAxisPreservingType(std::optional<Location> loc, Type input,
                                      int64_t axis,
                                      llvm::SmallVectorImpl<Type> &results);
/// `stats` are batch_norm's weight, bias, mean and var, each `[C]`.
LogicalResult inferBatchNormType(std::optional<Location> loc, Type input,
                                 llvm::ArrayRef<Type> stats,
                                 llvm::SmallVectorImpl<Type> &results);

/// weight and bias have the shape of the last `dims` dimensions of input.
LogicalResult inferLayerNormType(std::optional<Location> loc, Type input,
                                 Type weight, Type bias, int64_t dims,
                                 llvm::SmallVectorImpl<Type> &results);

/// The attributes of a 2-D convolution, each pair for (height, width).
struct Conv2dOptions {
  llvm::ArrayRef<int64_t> stride, padding, dilation;
  int64_t groups;
};
/// The size of one spatial output axis of a convolution or pooling; 0 when
/// the window does not fit.
int64_t convOutputSize(int64_t input, int64_t kernel, int64_t stride,
                       int64_t padding, int64_t dilation);

LogicalResult inferConv2dType(std::optional<Location> loc, Type input,
                              Type weight, Type bias,
                              const Conv2dOptions &options,
                              llvm::SmallVectorImpl<Type> &results);
LogicalResult inferConvTranspose2dType(std::optional<Location> loc, Type input,
                                       Type weight, Type bias,
                                       llvm::ArrayRef<int64_t> stride,
                                       llvm::ArrayRef<int64_t> padding,
                                       llvm::ArrayRef<int64_t> outputPadding,
                                       llvm::ArrayRef<int64_t> dilation,
                                       llvm::SmallVectorImpl<Type> &results);
LogicalResult inferUpsampleType(std::optional<Location> loc, Type input,
                                llvm::ArrayRef<int64_t> scale,
                                llvm::SmallVectorImpl<Type> &results);
LogicalResult inferArgmaxType(std::optional<Location> loc, Type input,
                              int64_t axis,
                              llvm::SmallVectorImpl<Type> &results);
LogicalResult inferPool2dType(std::optional<Location> loc, Type input,
                              llvm::ArrayRef<int64_t> kernel,
                              llvm::ArrayRef<int64_t> stride,
                              llvm::ArrayRef<int64_t> padding,
                              llvm::SmallVectorImpl<Type> &results);
LogicalResult inferAdaptivePool2dType(std::optional<Location> loc, Type input,
                                      llvm::ArrayRef<int64_t> size,
                                      llvm::SmallVectorImpl<Type> &results);
/// concat (along an existing axis) and stack (along a new one).
LogicalResult inferJoinType(std::optional<Location> loc, TypeRange inputs,
                            int64_t axis, bool stack,
                            llvm::SmallVectorImpl<Type> &results);
/// `mask`, when given, must broadcast to the scores `[..., Tq, Tk]`.
LogicalResult inferAttentionType(std::optional<Location> loc, Type query,
                                 Type key, Type value, Type mask,
                                 llvm::SmallVectorImpl<Type> &results);
LogicalResult inferEmbeddingType(std::optional<Location> loc, Type indices,
                                 Type table,
                                 llvm::SmallVectorImpl<Type> &results);
LogicalResult inferGatherType(std::optional<Location> loc, Type input,
                              int64_t axis, Type index,
                              llvm::SmallVectorImpl<Type> &results);
LogicalResult inferScatterAddType(std::optional<Location> loc, Type input,
                                  int64_t axis, Type index, Type src,
                                  llvm::SmallVectorImpl<Type> &results);
LogicalResult inferIndexSelectType(std::optional<Location> loc, Type input,
                                   int64_t axis, Type index,
                                   llvm::SmallVectorImpl<Type> &results);
/// The values and the indices (i64).
LogicalResult inferTopKType(std::optional<Location> loc, Type input, int64_t k,
                            int64_t axis, llvm::SmallVectorImpl<Type> &results);
LogicalResult inferSelectScatterType(std::optional<Location> loc, Type input,
                                     Type value, int64_t axis, int64_t index,
                                     llvm::SmallVectorImpl<Type> &results);
LogicalResult inferSliceType(std::optional<Location> loc, Type input,
                             int64_t axis, int64_t start, int64_t end,
                             bool drop, llvm::SmallVectorImpl<Type> &results);
LogicalResult inferFlattenType(std::optional<Location> loc, Type input,
                               int64_t start, int64_t end,
                               llvm::SmallVectorImpl<Type> &results);

} // namespace mlir::weft

#endif // WEFT_DIALECT_WEFT_IR_TYPEINFERENCE_H
