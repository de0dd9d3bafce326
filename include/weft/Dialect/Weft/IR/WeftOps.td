//===- WeftOps.td - weft dialect operations ----------------*- tablegen -*-===//

#ifndef WEFT_DIALECT_WEFT_IR_WEFTOPS_TD
#define WEFT_DIALECT_WEFT_IR_WEFTOPS_TD

include "weft/Dialect/Weft/IR/WeftDialect.td"
include "weft/Dialect/Weft/IR/WeftInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/CastInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// weft computes on float tensors, ranked or (before shape inference)
// unranked; integer tensors hold indices such as token ids, and boolean
// tensors (i1) the results of comparisons.
def Weft_Tensor : TensorOf<[F32, F64]>;
def Weft_IndexTensor : TensorOf<[I32, I64]>;
def Weft_BoolTensor : TensorOf<[I1]>;
def Weft_AnyTensor : TensorOf<[F32, F64, I32, I64]>;
def Weft_ValueTensor : TensorOf<[F32, F64, I32, I64, I1]>;

// An op whose ODS constraints allow integer or boolean operands; the front
// end rejects them, with a plain message, for every other op.
def Weft_AcceptsIntegers : NativeOpTrait<"AcceptsIntegers"> {
  let cppNamespace = "::mlir::weft";
}

// An elementwise op, whose scalar meaning `evaluate` its definition gives.
def Weft_Elementwise : DeclareOpInterfaceMethods<Weft_ElementwiseOpInterface>;
// An op with a gradient rule (`buildGradients`).
def Weft_Differentiable
    : DeclareOpInterfaceMethods<Weft_DifferentiableOpInterface>;

// Every op's results have sizes that are not negative and at most
// kMaxElements elements, whatever built them (the front end checks the
// sizes it is given; this catches the ones it computes).
def Weft_BoundedShapes : NativeOpTrait<"BoundedShapes"> {
  let cppNamespace = "::mlir::weft";
}

class Weft_Op<string mnemonic, list<Trait> traits = []>
    : Op<Weft_Dialect, mnemonic, traits # [Weft_BoundedShapes]>;

// An op whose result type follows from its operands and attributes. The
// inferred type is checked by the verifier; an unranked result is compatible
// with any ranked inference of the same element type, which is the state
// before `weft-shape-inference` has run.
class Weft_InferredOp<string mnemonic, list<Trait> traits = []>
    : Weft_Op<mnemonic, traits # [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  code inferBody = ?;
  // Further member definitions (an interface method's body).
  code extraDefinition = "";
  let extraClassDefinition = [{
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange l,
                                            ::mlir::TypeRange r) {
      return ::mlir::weft::areCompatibleTensorTypes(l, r);
    }
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &results) {
  }] # inferBody # [{
    }
  }] # extraDefinition;
}

//===----------------------------------------------------------------------===//
// Values from outside the computation
//===----------------------------------------------------------------------===//

def Weft_InitKind : I32EnumAttr<"InitKind",
    "how the runtime initializes a parameter when no weights are given", [
      I32EnumAttrCase<"normal", 0>, I32EnumAttrCase<"uniform", 1>,
      I32EnumAttrCase<"zeros", 2>, I32EnumAttrCase<"ones", 3>]> {
  let cppNamespace = "::mlir::weft";
}

def Weft_ParamOp : Weft_Op<"param", [Pure]> {
  let summary = "reference to a named model parameter";
  let description = [{
    Reads the model parameter called `name`, using the PyTorch `state_dict`
    name (`fc1.weight`). The result type is the declared shape of the
    parameter, always static.

    `init` says how the runtime initializes the parameter when no weights
    file is given, following PyTorch's defaults: `normal` (standard normal,
    the default), `uniform` in `[-1/sqrt(fan_in), 1/sqrt(fan_in)]` (the
    weights and biases of `nn.Linear` and `nn.Conv2d`), `zeros` or `ones`
    (the statistics and affine parameters of batch normalization).

    `training_state` marks state of training that PyTorch keeps outside a
    model's `state_dict` (an optimizer's moments and step count, the count
    of dropout masks drawn): a weights file may lack it, and it then starts
    from `init`. Parameters are floats, but for batch norm's
    `num_batches_tracked` and such counts (`i64`).

    Before lowering, `weft-lift-params` turns every `weft.param` of a public
    function into a trailing function argument.

    Example:
    ```mlir
    %w = weft.param "fc1.weight" init uniform fan_in 784 : tensor<256x784xf32>
    %g = weft.param "bn.weight" init ones : tensor<256xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name,
                       DefaultValuedAttr<Weft_InitKind,
                                         "::mlir::weft::InitKind::normal">:$init,
                       OptionalAttr<I64Attr>:$fan_in,
                       UnitAttr:$training_state);
  let results = (outs Weft_AnyTensor:$result);
  let assemblyFormat = [{
    $name (`init` $init^)? (`fan_in` $fan_in^)?
    (`training_state` $training_state^)? attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

// The resource parameter updates write: the model's state.
def Weft_ParamResource : Resource<"::mlir::weft::ParamResource">;

def Weft_UpdateParamOp : Weft_Op<"update_param",
    [MemoryEffects<[MemWrite<Weft_ParamResource>]>]> {
  let summary = "gives a model parameter a new value, in place";
  let description = [{
    Sets the model parameter called `name` to `value`, of the parameter's
    type: an optimizer's step writes each parameter and its own state this
    way. The parameter keeps the new value after the call returns, and a
    `weft.param` of the same name after this op reads it:
    `weft-forward-param-updates` replaces such reads by `value` and removes
    all but the last update of each parameter, which `weft-lift-params`
    turns into a result that the lowering writes into the parameter's own
    buffer (as a `mut` argument's).

    Example:
    ```mlir
    %w = weft.param "fc.weight" init uniform fan_in 4 : tensor<3x4xf32>
    %w2 = weft.sub %w, %step : tensor<3x4xf32>, tensor<3x4xf32> -> tensor<3x4xf32>
    weft.update_param "fc.weight", %w2 : tensor<3x4xf32>
    ```
  }];
  let arguments = (ins StrAttr:$name, Weft_ValueTensor:$value);
  let assemblyFormat = "$name `,` $value attr-dict `:` type($value)";
  let hasVerifier = 1;
}

def Weft_Distribution : I32EnumAttr<"Distribution",
    "the distribution a random op draws from", [
      I32EnumAttrCase<"uniform", 0>, I32EnumAttrCase<"normal", 1>]> {
  let cppNamespace = "::mlir::weft";
}

def Weft_RandomOp : Weft_Op<"random", [Pure]> {
  let summary = "a tensor of seeded random numbers";
  let description = [{
    Fills a tensor with numbers drawn from `distribution`: `uniform` in
    `[0, 1)` or standard `normal`. The numbers are a pure function of
    `seed`, `key` and each element's row-major position `i`, so the op is
    deterministic (two ops with equal attributes give equal tensors) and
    every element can be computed independently, on any target:

        stream = mix(mix(seed) ^ key)
        bits(c) = mix(stream + c * 0x9E3779B97F4A7C15)
        mix(z): z ^= z >> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >> 27;
                z *= 0x94D049BB133111EB; z ^= z >> 31     (64-bit wrapping)

    `uniform` is `(bits(i) >> 11) * 2^-53` (f64) or `(bits(i) >> 40) *
    2^-24` (f32); `normal` is Box-Muller over the f64 uniforms `u1, u2` of
    counters `2i` and `2i + 1`: `sqrt(-2 log(1 - u1)) * cos(2 pi u2)`.
    The language's `rand` and `randn` create it with the compilation's seed
    and the key the program gives.

    The seed is an attribute, fixed when the program is compiled, or an
    `i64` scalar operand (`seed_value`, `tensor<i64>`; its type is printed
    only when it is another, unranked), read when it runs: one compiled
    program then draws other numbers for each seed it is called with, the
    same ones as the attribute form for the same seed.

    Example:
    ```mlir
    %z = weft.random normal seed 0 key 7 : tensor<16x2xf32>
    %u = weft.random uniform seed %s key 1 : tensor<8xf32>
    ```
  }];
  let arguments = (ins Weft_Distribution:$distribution,
                       OptionalAttr<I64Attr>:$seed, I64Attr:$key,
                       Optional<TensorOf<[I64]>>:$seed_value);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $distribution `seed` custom<Seed>($seed, $seed_value, type($seed_value)) `key`
    $key attr-dict
    `:` type($result)
  }];
  let hasVerifier = 1;
}

def Weft_ConstantOp : Weft_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "result"]>]> {
  let summary = "tensor constant";
  let description = [{
    A constant tensor: numeric literals of the language become rank-0 float
    constants that broadcast against the other operand; `arange` makes
    float or integer vectors.

    Example:
    ```mlir
    %c = weft.constant dense<5.000000e-01> : tensor<f32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Weft_CastOp : Weft_Op<"cast",
    [Pure, DeclareOpInterfaceMethods<CastOpInterface>, Weft_ElementMovingOpInterface,
     Weft_Differentiable]> {
  let summary = "changes how much of a tensor's shape is known";
  let description = [{
    Converts between compatible tensor types: same element type, and equal
    sizes wherever both types know a size. MLIRGen inserts casts where a value
    meets a declared type (a call argument, a returned value);
    `weft-shape-inference` refines them and canonicalization removes the ones
    that no longer change the type.

    Example:
    ```mlir
    %1 = weft.cast %0 : tensor<*xf32> to tensor<4x10xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasFolder = 1;
}

def Weft_DetachOp : Weft_Op<"detach",
    [Pure, SameOperandsAndResultType, Weft_Differentiable]> {
  let summary = "the operand's value, through which no gradient flows";
  let description = [{
    Gives its operand unchanged, as PyTorch's `detach()`: a gradient taken
    later treats the result as a variable of its own, not as a function of
    what the operand depends on. A parameter's value after an update is one
    (`weft-forward-param-updates`), as a PyTorch parameter stays a leaf
    after an optimizer's step: a generator's gradient taken after its
    discriminator's step sees the discriminator's new weights as they are,
    not as the step computed them. `weft-differentiate` replaces every
    `weft.detach` by its operand once it has built the gradients.

    Example:
    ```mlir
    %w1 = weft.detach %w : tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Elementwise operations
//===----------------------------------------------------------------------===//

// `scalar` is the result for one element `x`, in double precision;
// `gradient` the gradient of `x` given the result's, `g`, as weft ops built
// by `d` (a WeftBuilder) from `g`, `x` and the result `y`.
class Weft_UnaryOp<string mnemonic, string math, string scalar,
                   Type tensor = Weft_Tensor, list<Trait> traits = []>
    : Weft_InferredOp<mnemonic, traits # [SameOperandsAndResultElementType,
                                           Weft_Elementwise,
                                           Weft_Differentiable]> {
  code gradient = ?;
  let summary = "elementwise " # math;
  let description = [{
    Computes }] # math # [{ of every element; the result has the operand's
    type.

    Example:
    ```mlir
    %1 = weft.}] # mnemonic # [{ %0 : tensor<4x8xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins tensor:$input);
  let results = (outs tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let inferBody = [{
    results.push_back(adaptor.getInput().getType());
    return ::mlir::success();
  }];
  let extraDefinition = [{
    double $cppClass::evaluate(::llvm::ArrayRef<double> operands) {
      double x = operands[0];
      return }] # scalar # [{;
    }
    ::llvm::SmallVector<::mlir::Value>
    $cppClass::buildGradients(::mlir::OpBuilder &b,
                              ::mlir::ValueRange gradients) {
      ::mlir::weft::WeftBuilder d(b, getLoc());
      ::mlir::Value g = gradients[0], x = getInput(), y = getResult();
      (void)x, (void)y;
      return {}] # gradient # [{};
    }
  }];
}

def Weft_NegOp : Weft_UnaryOp<"neg", "the negation `-x`", "-x", Weft_AnyTensor,
                              [Weft_AcceptsIntegers]> {
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let gradient = [{ d.neg(g) }];
}
def Weft_ReluOp : Weft_UnaryOp<"relu", "`max(x, 0)`", "x > 0 ? x : 0.0"> {
  // 0 at 0, as PyTorch's.
  let gradient = [{
    d.where(d.compare(ComparePredicate::gt, x, d.constant(0, x)), g,
            d.constant(0, g))
  }];
}
def Weft_SigmoidOp : Weft_UnaryOp<"sigmoid", "the logistic `1 / (1 + exp(-x))`",
    "1.0 / (1.0 + std::exp(-x))"> {
  let gradient = [{ d.mul(g, d.mul(y, d.sub(d.constant(1, y), y))) }];
}
def Weft_TanhOp : Weft_UnaryOp<"tanh", "the hyperbolic tangent",
    "std::tanh(x)"> {
  let gradient = [{ d.mul(g, d.sub(d.constant(1, y), d.mul(y, y))) }];
}
def Weft_ExpOp : Weft_UnaryOp<"exp", "the exponential `e^x`",
    "std::exp(x)"> {
  let hasFolder = 1;
  let gradient = [{ d.mul(g, y) }];
}
def Weft_LogOp : Weft_UnaryOp<"log", "the natural logarithm",
    "std::log(x)"> {
  let hasFolder = 1;
  let gradient = [{ d.div(g, x) }];
}
def Weft_SqrtOp : Weft_UnaryOp<"sqrt", "the square root",
    "std::sqrt(x)"> {
  let hasFolder = 1;
  let gradient = [{ d.div(g, d.mul(d.constant(2, y), y)) }];
}
def Weft_SinOp : Weft_UnaryOp<"sin", "the sine", "std::sin(x)"> {
  let gradient = [{ d.mul(g, d.cos(x)) }];
}
def Weft_CosOp : Weft_UnaryOp<"cos", "the cosine", "std::cos(x)"> {
  let gradient = [{ d.neg(d.mul(g, d.sin(x))) }];
}
def Weft_ErfOp : Weft_UnaryOp<"erf", "the error function", "std::erf(x)"> {
  // 2 / sqrt(pi) * exp(-x^2)
  let gradient = [{
    d.mul(g, d.mul(d.constant(M_2_SQRTPI, x), d.exp(d.neg(d.mul(x, x)))))
  }];
}
def Weft_GeluOp : Weft_UnaryOp<"gelu",
    "the GELU `x * Phi(x) = x / 2 * (1 + erf(x / sqrt(2)))` (PyTorch's exact form)",
    "0.5 * x * (1 + std::erf(x * M_SQRT1_2))"> {
  // Phi(x) + x * phi(x), phi the standard normal density.
  let gradient = [{
    d.mul(g, d.add(
        d.mul(d.constant(0.5, x),
              d.add(d.constant(1, x),
                    d.erf(d.mul(x, d.constant(M_SQRT1_2, x))))),
        d.mul(x, d.mul(d.constant(0.5 * M_2_SQRTPI * M_SQRT1_2, x),
                       d.exp(d.mul(d.constant(-0.5, x), d.mul(x, x)))))))
  }];
}
def Weft_SiluOp : Weft_UnaryOp<"silu", "the SiLU (swish) `x * sigmoid(x)`",
    "x / (1.0 + std::exp(-x))"> {
  // s * (1 + x * (1 - s)), s = sigmoid(x).
  let gradient = [{
    d.mul(g, [&] {
      ::mlir::Value s = d.sigmoid(x);
      return d.mul(s, d.add(d.constant(1, x),
                            d.mul(x, d.sub(d.constant(1, x), s))));
    }())
  }];
}

// `scalar` is the result for one pair of elements `x`, `y`, in double
// precision; `lhsGradient` and `rhsGradient` the gradients of `x` and `y`
// given the result's, `g`, as weft ops built by `d` (a WeftBuilder) from
// `g`, `x`, `y` and the result `r`, before the sum over broadcast axes.
// "{}" marks an operand without a gradient.
class Weft_BinaryOp<string mnemonic, string math, string scalar,
                    Type tensor = Weft_Tensor, list<Trait> traits = []>
    : Weft_InferredOp<mnemonic, traits # [SameOperandsAndResultElementType,
                                           Weft_Elementwise,
                                           Weft_Differentiable]> {
  code lhsGradient = ?;
  code rhsGradient = ?;
  let summary = "elementwise " # math # " with broadcasting";
  let description = [{
    Computes }] # math # [{ elementwise. The operands broadcast with NumPy
    rules: shapes are aligned at the trailing dimension, and a dimension of
    size 1 (or a missing leading one) stretches to the other operand's size.

    Example:
    ```mlir
    %2 = weft.}] # mnemonic # [{ %0, %1 : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins tensor:$lhs, tensor:$rhs);
  let results = (outs tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferBroadcastType(loc, adaptor.getLhs().getType(),
                                            adaptor.getRhs().getType(), results);
  }];
  let extraDefinition = [{
    double $cppClass::evaluate(::llvm::ArrayRef<double> operands) {
      double x = operands[0], y = operands[1];
      return }] # scalar # [{;
    }
    ::llvm::SmallVector<::mlir::Value>
    $cppClass::buildGradients(::mlir::OpBuilder &b,
                              ::mlir::ValueRange gradients) {
      ::mlir::weft::WeftBuilder d(b, getLoc());
      ::mlir::Value g = gradients[0], x = getLhs(), y = getRhs(),
                    r = getResult();
      (void)r;
      ::mlir::Value lhs = }] # lhsGradient # [{;
      ::mlir::Value rhs = }] # rhsGradient # [{;
      return {lhs ? d.unbroadcast(lhs, x) : lhs,
              rhs ? d.unbroadcast(rhs, y) : rhs};
    }
  }];
}

// Arithmetic that is exact on integers works on integer tensors too.
class Weft_NumericBinaryOp<string mnemonic, string math, string scalar,
                           list<Trait> traits = []>
    : Weft_BinaryOp<mnemonic, math, scalar, Weft_AnyTensor,
                    traits # [Weft_AcceptsIntegers]>;

// A division of integers: a zero divisor is an error when the program runs
// (PyTorch's ZeroDivisionError), reported through the run-time check sites
// as an index outside the empty range [0, 0) (see weft/Runtime/ABI.h).
def Weft_DividesIntegers : NativeOpTrait<"DividesIntegers"> {
  let cppNamespace = "::mlir::weft";
}

def Weft_AddOp : Weft_NumericBinaryOp<"add", "the sum `lhs + rhs`", "x + y"> {
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let lhsGradient = [{ g }];
  let rhsGradient = [{ g }];
}
def Weft_SubOp : Weft_NumericBinaryOp<"sub", "the difference `lhs - rhs`",
    "x - y"> {
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let lhsGradient = [{ g }];
  let rhsGradient = [{ d.neg(g) }];
}
def Weft_MulOp : Weft_NumericBinaryOp<"mul", "the product `lhs * rhs`",
    "x * y"> {
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let lhsGradient = [{ d.mul(g, y) }];
  let rhsGradient = [{ d.mul(g, x) }];
}
def Weft_DivOp : Weft_BinaryOp<"div", "the quotient `lhs / rhs`", "x / y"> {
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let lhsGradient = [{ d.div(g, y) }];
  let rhsGradient = [{ d.neg(d.div(d.mul(g, r), y)) }];
}
// Piecewise constant: no gradient, as PyTorch's.
def Weft_FloorDivOp : Weft_NumericBinaryOp<"floor_div",
    "the quotient rounded down, `floor(lhs / rhs)` (Python's `//`)",
    "std::floor(x / y)", [Weft_DividesIntegers]> {
  let lhsGradient = [{ {} }];
  let rhsGradient = [{ {} }];
}
def Weft_RemOp : Weft_NumericBinaryOp<"rem",
    "the remainder `lhs - floor(lhs / rhs) * rhs`, with the sign of `rhs` (Python's `%`)",
    "x - std::floor(x / y) * y", [Weft_DividesIntegers]> {
  let lhsGradient = [{ g }];
  let rhsGradient = [{ d.neg(d.mul(g, d.floorDiv(x, y))) }];
}
def Weft_PowOp : Weft_BinaryOp<"pow", "the power `lhs ** rhs`",
    "std::pow(x, y)"> {
  // y * x^(y-1); r * log(x) for the exponent, 0 where x is 0 (as PyTorch's).
  let lhsGradient = [{
    d.mul(g, d.mul(y, d.pow(x, d.sub(y, d.constant(1, y)))))
  }];
  let rhsGradient = [{
    d.where(d.compare(ComparePredicate::eq, x, d.constant(0, x)),
            d.constant(0, g), d.mul(g, d.mul(r, d.log(x))))
  }];
}
// On ties each operand gets half, as PyTorch's.
def Weft_MaximumOp : Weft_NumericBinaryOp<"maximum",
    "the larger of `lhs` and `rhs`",
    "std::isnan(x) || x > y ? x : y"> {
  let lhsGradient = [{ d.mul(g, d.tieShare(ComparePredicate::gt, x, y)) }];
  let rhsGradient = [{ d.mul(g, d.tieShare(ComparePredicate::gt, y, x)) }];
}
def Weft_MinimumOp : Weft_NumericBinaryOp<"minimum",
    "the smaller of `lhs` and `rhs`",
    "std::isnan(x) || x < y ? x : y"> {
  let lhsGradient = [{ d.mul(g, d.tieShare(ComparePredicate::lt, x, y)) }];
  let rhsGradient = [{ d.mul(g, d.tieShare(ComparePredicate::lt, y, x)) }];
}

def Weft_ComparePredicate : I32EnumAttr<"ComparePredicate",
    "the relation a comparison tests", [
      I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>,
      I32EnumAttrCase<"lt", 2>, I32EnumAttrCase<"le", 3>,
      I32EnumAttrCase<"gt", 4>, I32EnumAttrCase<"ge", 5>]> {
  let cppNamespace = "::mlir::weft";
}

def Weft_CompareOp : Weft_InferredOp<"compare", [Weft_AcceptsIntegers,
                                                  Weft_Elementwise]> {
  let summary = "elementwise comparison with broadcasting";
  let description = [{
    Compares `lhs` and `rhs` (float or integer tensors of one element type)
    elementwise under NumPy broadcasting and gives a boolean (`i1`) tensor:
    `eq` is `==`, `ne` is `!=`, `lt` `<`, `le` `<=`, `gt` `>`, `ge` `>=`.
    Floats compare as IEEE-754 ordered predicates (a NaN compares unequal
    to everything, and `ne` is true for it).

    Example:
    ```mlir
    %m = weft.compare ne, %ids, %pad : tensor<4x10xi64>, tensor<i64> -> tensor<4x10xi1>
    ```
  }];
  let arguments = (ins Weft_ComparePredicate:$predicate, Weft_AnyTensor:$lhs,
                       Weft_AnyTensor:$rhs);
  let results = (outs Weft_BoolTensor:$result);
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->`
    type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferCompareType(loc, adaptor.getLhs().getType(),
                                          adaptor.getRhs().getType(), results);
  }];
  let extraDefinition = [{
    double $cppClass::evaluate(::llvm::ArrayRef<double> x) {
      switch (getPredicate()) {
      case ::mlir::weft::ComparePredicate::eq: return x[0] == x[1];
      case ::mlir::weft::ComparePredicate::ne: return x[0] != x[1];
      case ::mlir::weft::ComparePredicate::lt: return x[0] < x[1];
      case ::mlir::weft::ComparePredicate::le: return x[0] <= x[1];
      case ::mlir::weft::ComparePredicate::gt: return x[0] > x[1];
      case ::mlir::weft::ComparePredicate::ge: return x[0] >= x[1];
      }
      return 0.0;
    }
  }];
}

def Weft_WhereOp : Weft_InferredOp<"where", [Weft_AcceptsIntegers,
    Weft_Elementwise, DeclareOpInterfaceMethods<Weft_ElementMovingOpInterface, ["movesElementsOf"]>,
    Weft_Differentiable]> {
  let summary = "elementwise choice by a boolean condition";
  let description = [{
    Takes `on_true` where `condition` holds and `on_false` elsewhere; the
    three operands broadcast with NumPy rules, and the two values share one
    element type (float, integer or boolean), as `torch.where`.

    Example:
    ```mlir
    %r = weft.where %m, %x, %ninf : tensor<4x10xi1>, tensor<4x10xf32>, tensor<f32> -> tensor<4x10xf32>
    ```
  }];
  let arguments = (ins Weft_BoolTensor:$condition, Weft_ValueTensor:$on_true,
                       Weft_ValueTensor:$on_false);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $condition `,` $on_true `,` $on_false attr-dict `:` type($condition) `,`
    type($on_true) `,` type($on_false) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferWhereType(loc, adaptor.getCondition().getType(),
        adaptor.getOnTrue().getType(), adaptor.getOnFalse().getType(),
        results);
  }];
  let extraDefinition = [{
    double $cppClass::evaluate(::llvm::ArrayRef<double> x) {
      return x[0] != 0 ? x[1] : x[2];
    }
  }];
}

def Weft_ConvertOp : Weft_Op<"convert", [Pure, Weft_AcceptsIntegers,
                                          Weft_Elementwise,
                                          Weft_Differentiable]> {
  let summary = "converts the elements of a tensor to another dtype";
  let description = [{
    Converts each element to the result's element type, as PyTorch's
    `tensor.to(dtype)`: integers to floats exactly where they fit, floats to
    integers rounding toward zero, booleans to 0 and 1, and between float or
    integer widths. The shape does not change.

    Example:
    ```mlir
    %t = weft.convert %steps : tensor<8xi64> -> tensor<8xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input);
  let results = (outs Weft_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    // To integers: rounded toward zero, as the compiled code does.
    double $cppClass::evaluate(::llvm::ArrayRef<double> x) {
      return ::llvm::isa<::mlir::IntegerType>(
                 ::llvm::cast<::mlir::TensorType>(getType()).getElementType())
                 ? std::trunc(x[0])
                 : x[0];
    }
  }];
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Weft_MatmulOp : Weft_InferredOp<"matmul", [SameOperandsAndResultElementType,
    DeclareOpInterfaceMethods<Weft_ContractionOpInterface>, Weft_Differentiable]> {
  let summary = "matrix product, batched over leading dimensions";
  let description = [{
    `result[..., i, j] = sum_k lhs[..., i, k] * rhs[..., k, j]` for `lhs` of
    shape `[..., M, K]` and `rhs` of shape `[..., K, N]`, as `torch.matmul`
    on tensors of rank 2 or more: the leading (batch) dimensions broadcast
    with NumPy rules.

    Example:
    ```mlir
    %2 = weft.matmul %0, %1 : tensor<4x8xf32>, tensor<8x3xf32> -> tensor<4x3xf32>
    %5 = weft.matmul %3, %4 : tensor<2x4x8x16xf32>, tensor<2x4x16x8xf32> -> tensor<2x4x8x8xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$lhs, Weft_Tensor:$rhs);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferMatmulType(loc, adaptor.getLhs().getType(),
                                         adaptor.getRhs().getType(), results);
  }];
}

def Weft_LinearOp : Weft_InferredOp<"linear", [SameOperandsAndResultElementType,
    DeclareOpInterfaceMethods<Weft_ContractionOpInterface, ["getBiasTerm"]>,
    Weft_Differentiable]> {
  let summary = "affine layer `input @ weight^T + bias`";
  let description = [{
    The computation of PyTorch's `nn.Linear`: for `input` of shape
    `[..., K]`, `weight` of shape `[N, K]` and the optional `bias` of shape
    `[N]`, the result has shape `[..., N]` and
    `result[..., n] = bias[n] + sum_k input[..., k] * weight[n, k]`.

    Example:
    ```mlir
    %y = weft.linear %x, %w, %b : tensor<4x784xf32>, tensor<256x784xf32>, tensor<256xf32> -> tensor<4x256xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, Weft_Tensor:$weight,
                       Optional<Weft_Tensor>:$bias);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let inferBody = [{
    ::mlir::Value bias = adaptor.getBias();
    return ::mlir::weft::inferLinearType(loc, adaptor.getInput().getType(),
        adaptor.getWeight().getType(), bias ? bias.getType() : ::mlir::Type(),
        results);
  }];
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Weft_ReductionOp<string mnemonic, string math>
    : Weft_InferredOp<mnemonic, [SameOperandsAndResultElementType,
                                 Weft_ReductionOpInterface,
                                 Weft_Differentiable]> {
  let summary = math # " over some or all axes";
  let description = [{
    Reduces `input` with }] # math # [{ over the listed `axes` (negative
    axes count from the end), or over every axis when `axes` is absent. The
    reduced axes are dropped from the result, or kept with size 1 when
    `keepdim` is set.

    Example:
    ```mlir
    %1 = weft.}] # mnemonic # [{ %0 axes [1] : tensor<4x8xf32> -> tensor<4xf32>
    %2 = weft.}] # mnemonic # [{ %0 axes [-1] keepdim : tensor<4x8xf32> -> tensor<4x1xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       UnitAttr:$keepdim);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input (`axes` $axes^)? (`keepdim` $keepdim^)? attr-dict `:` type($input)
    `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferReductionType(loc, adaptor.getInput().getType(),
        adaptor.getAxes(), static_cast<bool>(adaptor.getKeepdim()), results);
  }];
}

def Weft_ArgmaxOp : Weft_InferredOp<"argmax"> {
  let summary = "the index of the maximum along one axis";
  let description = [{
    The position of the largest element of `input` along `axis` (the first
    one on ties, as PyTorch), as an `i64` tensor without that axis.

    Example:
    ```mlir
    %1 = weft.argmax %0 axis -1 : tensor<4x10xf32> -> tensor<4xi64>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, I64Attr:$axis);
  let results = (outs Weft_IndexTensor:$result);
  let assemblyFormat = [{
    $input `axis` $axis attr-dict `:` type($input) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferArgmaxType(loc, adaptor.getInput().getType(),
        static_cast<int64_t>(adaptor.getAxis()), results);
  }];
}

def Weft_SumOp : Weft_ReductionOp<"sum", "the sum"> {
  let hasCanonicalizer = 1;
}
def Weft_MeanOp : Weft_ReductionOp<"mean", "the arithmetic mean"> {
  let hasCanonicalizer = 1;
}
def Weft_MaxOp : Weft_ReductionOp<"max", "the maximum">;

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def Weft_BroadcastOp : Weft_InferredOp<"broadcast", [SameOperandsAndResultElementType,
    Weft_AcceptsIntegers, Weft_Elementwise, Weft_ElementMovingOpInterface,
    Weft_Differentiable]> {
  let summary = "broadcasts a tensor to a shape";
  let description = [{
    Stretches `input` to `shape` with NumPy broadcasting rules.

    Example:
    ```mlir
    %1 = weft.broadcast %0 to [4, 8] : tensor<8xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $input `to` $shape attr-dict `:` type($input) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferBroadcastToType(loc,
        adaptor.getInput().getType(), adaptor.getShape(), results);
  }];
  let extraDefinition = [{
    double $cppClass::evaluate(::llvm::ArrayRef<double> x) { return x[0]; }
  }];
}

def Weft_ReshapeOp : Weft_InferredOp<"reshape", [SameOperandsAndResultElementType,
    Weft_AcceptsIntegers, Weft_ElementMovingOpInterface, Weft_Differentiable]> {
  let summary = "reinterprets a tensor's elements with a new shape";
  let description = [{
    Gives the elements of `input`, in row-major order, the shape `shape`.
    At most one entry of `shape` may be -1; it is inferred from the element
    count, which must not change.

    Example:
    ```mlir
    %1 = weft.reshape %0 to [4, -1] : tensor<4x2x3xf32> -> tensor<4x6xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $input `to` $shape attr-dict `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let inferBody = [{
    return ::mlir::weft::inferReshapeType(loc, adaptor.getInput().getType(),
                                          adaptor.getShape(), results);
  }];
}

def Weft_TransposeOp : Weft_InferredOp<"transpose", [SameOperandsAndResultElementType,
    Weft_AcceptsIntegers, Weft_ElementMovingOpInterface, Weft_Differentiable]> {
  let summary = "permutes the axes of a tensor";
  let description = [{
    `result` axis `i` is `input` axis `permutation[i]`.

    Example:
    ```mlir
    %1 = weft.transpose %0 [1, 0] : tensor<4x8xf32> -> tensor<8x4xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $input $permutation attr-dict `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let inferBody = [{
    return ::mlir::weft::inferTransposeType(loc, adaptor.getInput().getType(),
                                            adaptor.getPermutation(), results);
  }];
}


//===----------------------------------------------------------------------===//
// Normalization and regularization
//===----------------------------------------------------------------------===//

class Weft_SoftmaxLikeOp<string mnemonic, string math>
    : Weft_InferredOp<mnemonic, [SameOperandsAndResultElementType, DeclareOpInterfaceMethods<Weft_NormalizationOpInterface>,
                                 Weft_Differentiable]> {
  let summary = math # " along one axis";
  let description = [{
    Computes }] # math # [{ of `input` along `axis` (negative counts from
    the end), subtracting the maximum first so large inputs do not overflow.

    Example:
    ```mlir
    %1 = weft.}] # mnemonic # [{ %0 axis -1 : tensor<4x10xf32> -> tensor<4x10xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, I64Attr:$axis);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `axis` $axis attr-dict `:` type($input) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferAxisPreservingType(loc,
        adaptor.getInput().getType(), adaptor.getAxis(), results);
  }];
}

def Weft_SoftmaxOp : Weft_SoftmaxLikeOp<"softmax",
    "the softmax `exp(x_i) / sum_j exp(x_j)`">;
def Weft_LogSoftmaxOp : Weft_SoftmaxLikeOp<"log_softmax",
    "the log-softmax `x_i - log(sum_j exp(x_j))`">;

def Weft_BatchNormOp : Weft_InferredOp<"batch_norm", [SameOperandsAndResultElementType,
    Weft_Differentiable]> {
  let summary = "batch normalization at inference, with running statistics";
  let description = [{
    Normalizes `input` of shape `[N, C, ...]` per channel (axis 1) with the
    running statistics, as PyTorch's `BatchNorm1d`/`BatchNorm2d` in
    evaluation mode:
    `(x - mean[c]) / sqrt(var[c] + eps) * weight[c] + bias[c]`.
    `weight`, `bias`, `mean` and `var` have shape `[C]`.

    Example:
    ```mlir
    %y = weft.batch_norm %x, %g, %b, %m, %v eps 1.000000e-05 : tensor<8x6x4x4xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32> -> tensor<8x6x4x4xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, Weft_Tensor:$weight,
                       Weft_Tensor:$bias, Weft_Tensor:$mean, Weft_Tensor:$var,
                       F64Attr:$eps);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `,` $mean `,` $var `eps` $eps attr-dict `:`
    type($input) `,` type($weight) `,` type($bias) `,` type($mean) `,`
    type($var) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferBatchNormType(loc, adaptor.getInput().getType(),
        {adaptor.getWeight().getType(), adaptor.getBias().getType(),
         adaptor.getMean().getType(), adaptor.getVar().getType()}, results);
  }];
}

def Weft_BatchStatsOp : Weft_InferredOp<"batch_stats"> {
  let summary = "a batch's per-channel mean and variances, for batch norm";
  let description = [{
    The statistics train-mode batch normalization takes of `input`
    `[N, C, ...]` over every axis but the channels' (axis 1), each `[C]`:
    the mean, the biased variance (normalization divides by it) and the
    unbiased one (the running variance follows it), as PyTorch's
    `BatchNorm1d`/`BatchNorm2d` in training mode compute them, the
    variances from the sum of the squared deviations from the mean.
    `weft-decompose` writes it with `mean`, `sum` and elementwise ops once
    shapes are known, so that its gradient is theirs.

    Example:
    ```mlir
    %m, %v, %u = weft.batch_stats %x : tensor<8x6x4x4xf32> -> tensor<6xf32>, tensor<6xf32>, tensor<6xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input);
  let results = (outs Weft_Tensor:$mean, Weft_Tensor:$var,
                      Weft_Tensor:$unbiased_var);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($mean) `,` type($var) `,`
    type($unbiased_var)
  }];
  let hasVerifier = 1;
  let inferBody = [{
    auto type = ::mlir::cast<::mlir::TensorType>(adaptor.getInput().getType());
    auto ranked = ::mlir::dyn_cast<::mlir::RankedTensorType>(type);
    if (ranked && ranked.getRank() < 2)
      return ::mlir::emitOptionalError(loc,
          "batch statistics need an input [N, C, ...], got ",
          ::mlir::weft::formatType(type));
    ::mlir::Type stats = ranked
        ? ::mlir::Type(::mlir::RankedTensorType::get({ranked.getDimSize(1)},
                                                     type.getElementType()))
        : ::mlir::Type(::mlir::UnrankedTensorType::get(type.getElementType()));
    results.assign(3, stats);
    return ::mlir::success();
  }];
}

def Weft_LayerNormOp : Weft_InferredOp<"layer_norm", [SameOperandsAndResultElementType,
    DeclareOpInterfaceMethods<Weft_NormalizationOpInterface>,
    Weft_Differentiable]> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    Normalizes `input` over its last `dims` dimensions, as PyTorch's
    `nn.LayerNorm`: `(x - mean) / sqrt(var + eps) * weight + bias`, with the
    mean and the biased variance taken over those dimensions. `weight` and
    `bias` have the shape of the normalized dimensions.

    Example:
    ```mlir
    %y = weft.layer_norm %x, %g, %b dims 1 eps 1.000000e-05 : tensor<8x10x64xf32>, tensor<64xf32>, tensor<64xf32> -> tensor<8x10x64xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, Weft_Tensor:$weight,
                       Weft_Tensor:$bias, I64Attr:$dims, F64Attr:$eps);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `dims` $dims `eps` $eps attr-dict `:`
    type($input) `,` type($weight) `,` type($bias) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferLayerNormType(loc, adaptor.getInput().getType(),
        adaptor.getWeight().getType(), adaptor.getBias().getType(),
        static_cast<int64_t>(adaptor.getDims()), results);
  }];
}

def Weft_DropoutOp : Weft_InferredOp<"dropout", [Weft_AcceptsIntegers,
    Weft_Differentiable]> {
  let summary = "dropout: the identity at inference, a random mask in training";
  let description = [{
    Records a dropout of probability `p` from the model. Without a `seed`
    (inference, PyTorch's evaluation mode) dropout passes its input through
    unchanged and the op folds away. With one (an `i64` scalar, train
    mode), it zeroes each element with probability `p` and scales the
    others by `1 / (1 - p)` (inverted dropout, as PyTorch's): an element is
    kept where the uniform number `weft.random` draws for it at
    (`seed`, `key`) is at least `p`. `weft-decompose` writes it so once
    shapes are known.

    Example:
    ```mlir
    %1 = weft.dropout %0 p 5.000000e-01 : tensor<4x256xf32> -> tensor<4x256xf32>
    %2 = weft.dropout %0 p 1.000000e-01 seed %n : tensor<i64> key 0 : tensor<4x256xf32> -> tensor<4x256xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, F64Attr:$p,
                       Optional<TensorOf<[I64]>>:$seed,
                       DefaultValuedAttr<I64Attr, "0">:$key);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `p` $p (`seed` $seed^ `:` type($seed) `key` $key)? attr-dict `:`
    type($input) `->` type($result)
  }];
  let hasFolder = 1;
  let hasVerifier = 1;
  let inferBody = [{
    results.push_back(adaptor.getInput().getType());
    return ::mlir::success();
  }];
}

//===----------------------------------------------------------------------===//
// Convolution and pooling (NCHW)
//===----------------------------------------------------------------------===//

def Weft_Conv2dOp : Weft_InferredOp<"conv2d", [SameOperandsAndResultElementType,
    DeclareOpInterfaceMethods<Weft_ContractionOpInterface, ["getBiasTerm"]>,
    Weft_Differentiable]> {
  let summary = "2-D convolution, as PyTorch's nn.Conv2d";
  let description = [{
    Cross-correlates `input` `[N, C, H, W]` with `weight`
    `[O, C / groups, KH, KW]` and adds the optional `bias` `[O]`. The input
    is zero-padded by `padding` on each side; `stride` and `dilation` apply
    to the two spatial axes. The result is `[N, O, OH, OW]` with
    `OH = (H + 2 * padding[0] - dilation[0] * (KH - 1) - 1) / stride[0] + 1`
    (likewise `OW`). With `groups` g, input and output channels split into g
    groups convolved separately.

    Example:
    ```mlir
    %y = weft.conv2d %x, %w, %b stride [1, 1] padding [2, 2] dilation [1, 1] groups 1 : tensor<8x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32> -> tensor<8x6x28x28xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, Weft_Tensor:$weight,
                       Optional<Weft_Tensor>:$bias,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `stride` $stride `padding` $padding
    `dilation` $dilation `groups` $groups attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let inferBody = [{
    ::mlir::Value bias = adaptor.getBias();
    return ::mlir::weft::inferConv2dType(loc, adaptor.getInput().getType(),
        adaptor.getWeight().getType(), bias ? bias.getType() : ::mlir::Type(),
        {adaptor.getStride(), adaptor.getPadding(), adaptor.getDilation(),
         static_cast<int64_t>(adaptor.getGroups())}, results);
  }];
}

def Weft_ConvTranspose2dOp : Weft_InferredOp<"conv_transpose2d",
    [SameOperandsAndResultElementType,
    Weft_Differentiable]> {
  let summary = "2-D transposed convolution, as PyTorch's nn.ConvTranspose2d";
  let description = [{
    The gradient of `conv2d` with respect to its input, used to upsample:
    each input pixel `[N, C, H, W]` scatters `weight[c, :, :, :]`
    (`weight` is `[C, O, KH, KW]`) into the output `[N, O, OH, OW]` at
    `stride` steps, and the optional `bias` `[O]` is added.
    `OH = (H - 1) * stride[0] - 2 * padding[0] + dilation[0] * (KH - 1) +
    output_padding[0] + 1` (likewise `OW`).

    Example:
    ```mlir
    %y = weft.conv_transpose2d %x, %w, %b stride [2, 2] padding [1, 1] output_padding [0, 0] dilation [1, 1] : tensor<8x128x7x7xf32>, tensor<128x64x4x4xf32>, tensor<64xf32> -> tensor<8x64x14x14xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, Weft_Tensor:$weight,
                       Optional<Weft_Tensor>:$bias,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$output_padding,
                       DenseI64ArrayAttr:$dilation);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `stride` $stride `padding` $padding
    `output_padding` $output_padding `dilation` $dilation attr-dict `:`
    type($input) `,` type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let inferBody = [{
    ::mlir::Value bias = adaptor.getBias();
    return ::mlir::weft::inferConvTranspose2dType(loc,
        adaptor.getInput().getType(), adaptor.getWeight().getType(),
        bias ? bias.getType() : ::mlir::Type(), adaptor.getStride(),
        adaptor.getPadding(), adaptor.getOutputPadding(),
        adaptor.getDilation(), results);
  }];
}

def Weft_UpsampleNearestOp : Weft_InferredOp<"upsample_nearest",
    [SameOperandsAndResultElementType,
    Weft_Differentiable]> {
  let summary = "nearest-neighbour upsampling by integer factors";
  let description = [{
    Repeats each pixel of `input` `[N, C, H, W]` `scale[0]` times down and
    `scale[1]` times across: the result is `[N, C, H * scale[0],
    W * scale[1]]`, as PyTorch's `interpolate(mode="nearest")` with integer
    scale factors.

    Example:
    ```mlir
    %y = weft.upsample_nearest %x scale [2, 2] : tensor<8x16x7x7xf32> -> tensor<8x16x14x14xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, DenseI64ArrayAttr:$scale);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `scale` $scale attr-dict `:` type($input) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferUpsampleType(loc, adaptor.getInput().getType(),
                                           adaptor.getScale(), results);
  }];
}

class Weft_PoolOp<string mnemonic, string math, string padValue>
    : Weft_InferredOp<mnemonic, [SameOperandsAndResultElementType,
    Weft_Differentiable]> {
  let summary = "2-D " # math # " pooling";
  let description = [{
    Takes the }] # math # [{ of each `kernel` window of `input`
    `[N, C, H, W]`, moving by `stride`; the input is padded by `padding` on
    each side with }] # padValue # [{. The result is `[N, C, OH, OW]` with
    `OH = (H + 2 * padding[0] - kernel[0]) / stride[0] + 1` (likewise `OW`).

    Example:
    ```mlir
    %y = weft.}] # mnemonic # [{ %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<8x6x28x28xf32> -> tensor<8x6x14x14xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `kernel` $kernel `stride` $stride `padding` $padding attr-dict `:`
    type($input) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferPool2dType(loc, adaptor.getInput().getType(),
        adaptor.getKernel(), adaptor.getStride(), adaptor.getPadding(),
        results);
  }];
}

def Weft_MaxPool2dOp : Weft_PoolOp<"max_pool2d", "maximum", "-inf">;
def Weft_AvgPool2dOp : Weft_PoolOp<"avg_pool2d", "average",
    "zeros, which count in the average (PyTorch's `count_include_pad`)">;

def Weft_AdaptiveAvgPool2dOp : Weft_InferredOp<"adaptive_avg_pool2d",
    [SameOperandsAndResultElementType,
    Weft_Differentiable]> {
  let summary = "2-D average pooling to a given output size";
  let description = [{
    Averages `input` `[N, C, H, W]` down to `[N, C, OH, OW]` = `size`, as
    PyTorch's `adaptive_avg_pool2d`: output row `i` averages input rows
    `floor(i * H / OH)` to `ceil((i + 1) * H / OH)` (exclusive), and likewise
    for columns.

    Example:
    ```mlir
    %y = weft.adaptive_avg_pool2d %x to [1, 1] : tensor<8x64x7x7xf32> -> tensor<8x64x1x1xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, DenseI64ArrayAttr:$size);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `to` $size attr-dict `:` type($input) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferAdaptivePool2dType(loc,
        adaptor.getInput().getType(), adaptor.getSize(), results);
  }];
}

class Weft_JoinOp<string mnemonic, string summaryText, string how,
                  string example>
    : Weft_InferredOp<mnemonic, [SameOperandsAndResultElementType,
                                 Weft_AcceptsIntegers,
                                 Weft_ElementMovingOpInterface,
    Weft_Differentiable]> {
  let summary = summaryText;
  let description = [{
    }] # how # [{ Negative axes count from the end.

    Example:
    ```mlir
    }] # example # [{
    ```
  }];
  let arguments = (ins Variadic<Weft_ValueTensor>:$inputs, I64Attr:$axis);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $inputs `axis` $axis attr-dict `:` type($inputs) `->` type($result)
  }];
}

def Weft_ConcatOp : Weft_JoinOp<"concat", "joins tensors along an existing axis",
    "Joins `inputs`, which agree in every dimension but `axis`, along `axis`.",
    "%2 = weft.concat %0, %1 axis 1 : tensor<4x3xf32>, tensor<4x5xf32> -> tensor<4x8xf32>"> {
  let inferBody = [{
    return ::mlir::weft::inferJoinType(loc, adaptor.getInputs().getTypes(),
                                       adaptor.getAxis(), /*stack=*/false,
                                       results);
  }];
}

def Weft_StackOp : Weft_JoinOp<"stack", "joins tensors along a new axis",
    "Joins `inputs`, which all have the same shape, along a new axis inserted at `axis`.",
    "%2 = weft.stack %0, %1 axis -1 : tensor<4x3xf32>, tensor<4x3xf32> -> tensor<4x3x2xf32>"> {
  let inferBody = [{
    return ::mlir::weft::inferJoinType(loc, adaptor.getInputs().getTypes(),
                                       adaptor.getAxis(), /*stack=*/true,
                                       results);
  }];
}

def Weft_AttentionOp : Weft_InferredOp<"attention", [Weft_AcceptsIntegers,
    Weft_Differentiable]> {
  let summary = "scaled dot-product attention, optionally causal or masked";
  let description = [{
    `softmax(query @ key^T * scale) @ value` over the last two dimensions,
    for `query` `[..., Tq, D]`, `key` `[..., Tk, D]` and `value`
    `[..., Tk, Dv]` with equal leading (batch) dimensions; the result is
    `[..., Tq, Dv]`. `scale` defaults to `1 / sqrt(D)`. With `causal`,
    position `i` attends only to positions `j <= i` (the mask PyTorch's
    `is_causal` applies): the scores above the diagonal are -inf. A boolean
    `mask` that broadcasts to the scores `[..., Tq, Tk]` lets a query see
    only the keys where it is true, as the boolean `attn_mask` of PyTorch's
    `scaled_dot_product_attention`; padding masks are `[B, 1, 1, Tk]`. A
    query that sees no key at all gets NaN, as in PyTorch.

    Example:
    ```mlir
    %o = weft.attention %q, %k, %v causal : tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32> -> tensor<2x4x8x16xf32>
    %p = weft.attention %q, %k, %v mask %m : tensor<2x1x1x8xi1> : tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32> -> tensor<2x4x8x16xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$query, Weft_Tensor:$key,
                       Weft_Tensor:$value, Optional<Weft_BoolTensor>:$mask,
                       OptionalAttr<F64Attr>:$scale, UnitAttr:$causal);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` $mask^ `:` type($mask))?
    (`scale` $scale^)? (`causal` $causal^)? attr-dict
    `:` type($query) `,` type($key) `,` type($value) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferAttentionType(loc, adaptor.getQuery().getType(),
        adaptor.getKey().getType(), adaptor.getValue().getType(),
        adaptor.getMask() ? adaptor.getMask().getType() : ::mlir::Type(),
        results);
  }];
}

def Weft_EmbeddingOp : Weft_InferredOp<"embedding", [Weft_AcceptsIntegers,
    DeclareOpInterfaceMethods<Weft_IndexingOpInterface, ["describeIndexedRange"]>,
    Weft_Differentiable]> {
  let summary = "looks up rows of an embedding table";
  let description = [{
    Replaces each index of `indices` (integers, any shape) by the row of
    `table` `[V, D]` it names: the result has shape `indices.shape + [D]`,
    as PyTorch's `nn.Embedding`. An index outside `[0, V)` is an error; the
    runtime checks the indices that come from inputs before running.

    Example:
    ```mlir
    %e = weft.embedding %ids, %table : tensor<4x10xi64>, tensor<1000x64xf32> -> tensor<4x10x64xf32>
    ```
  }];
  let arguments = (ins Weft_IndexTensor:$indices, Weft_Tensor:$table);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $indices `,` $table attr-dict `:` type($indices) `,` type($table) `->`
    type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferEmbeddingType(loc,
        adaptor.getIndices().getType(), adaptor.getTable().getType(), results);
  }];
}

def Weft_GatherOp : Weft_InferredOp<"gather", [Weft_AcceptsIntegers,
    DeclareOpInterfaceMethods<Weft_IndexingOpInterface>, DeclareOpInterfaceMethods<Weft_ElementMovingOpInterface, ["movesElementsOf"]>,
    Weft_Differentiable]> {
  let summary = "picks elements along one axis by index, elementwise";
  let description = [{
    `result[i0, ..., ik] = input[i0, ..., index[i0, ..., ik], ..., ik]`
    with the index replacing position `axis`, as `torch.gather`: `index` has
    the rank of `input` and its sizes on every other axis, and the result has
    the shape of `index`. Indices must lie in `[0, input.shape[axis])`.

    Example:
    ```mlir
    %r = weft.gather %x axis 1, %i : tensor<4x10xf32>, tensor<4x3xi64> -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input, I64Attr:$axis,
                       Weft_IndexTensor:$index);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $input `axis` $axis `,` $index attr-dict `:` type($input) `,` type($index)
    `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferGatherType(loc, adaptor.getInput().getType(),
        adaptor.getAxis(), adaptor.getIndex().getType(), results);
  }];
}

def Weft_ScatterAddOp : Weft_InferredOp<"scatter_add", [Weft_AcceptsIntegers,
    Weft_Differentiable]> {
  let summary = "adds values into a tensor at positions given along one axis";
  let description = [{
    `result` is `input` with each element of `src` added at the position of
    `input` that `index` names along `axis`:
    `result[i0, ..., index[i0, ..., ik], ..., ik] += src[i0, ..., ik]`, as
    `torch.Tensor.scatter_add(axis, index, src)`. `index` and `src` have one
    shape, `input`'s on every axis but `axis`. Positions named several times
    receive every value. It is the gradient of `gather`, `index_select` and
    `embedding`, whose indices were checked where they were read; an index
    outside `[0, input.shape[axis])` adds nothing.

    Example:
    ```mlir
    %r = weft.scatter_add %x axis 1, %i, %s : tensor<4x10xf32>, tensor<4x3xi64>, tensor<4x3xf32> -> tensor<4x10xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, I64Attr:$axis,
                       Weft_IndexTensor:$index, Weft_Tensor:$src);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `axis` $axis `,` $index `,` $src attr-dict `:` type($input) `,`
    type($index) `,` type($src) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferScatterAddType(loc, adaptor.getInput().getType(),
        adaptor.getAxis(), adaptor.getIndex().getType(),
        adaptor.getSrc().getType(), results);
  }];
}

def Weft_IndexSelectOp : Weft_InferredOp<"index_select", [Weft_AcceptsIntegers,
    DeclareOpInterfaceMethods<Weft_IndexingOpInterface>, DeclareOpInterfaceMethods<Weft_ElementMovingOpInterface, ["movesElementsOf"]>,
    Weft_Differentiable]> {
  let summary = "picks whole slices along one axis by index";
  let description = [{
    `result` is `input` with axis `axis` replaced by the slices that the
    vector `index` names, in its order (repeats allowed), as
    `torch.index_select`. Indices must lie in `[0, input.shape[axis])`.

    Example:
    ```mlir
    %r = weft.index_select %h axis 0, %beams : tensor<6x32xf32>, tensor<6xi64> -> tensor<6x32xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input, I64Attr:$axis,
                       Weft_IndexTensor:$index);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $input `axis` $axis `,` $index attr-dict `:` type($input) `,` type($index)
    `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferIndexSelectType(loc,
        adaptor.getInput().getType(), adaptor.getAxis(),
        adaptor.getIndex().getType(), results);
  }];
}

def Weft_TopKOp : Weft_InferredOp<"topk", [Weft_Differentiable]> {
  let summary = "the k largest elements along one axis, and their indices";
  let description = [{
    The `k` largest elements of `input` along `axis`, in descending order,
    and their positions (`i64`), as `torch.topk` with `sorted=True`; among
    equal elements the lower index comes first. Both results have `input`'s
    shape with `k` along `axis`.

    Example:
    ```mlir
    %v, %i = weft.topk %logits k 5 axis -1 : tensor<4x100xf32> -> tensor<4x5xf32>, tensor<4x5xi64>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, I64Attr:$k, I64Attr:$axis);
  let results = (outs Weft_Tensor:$values, Weft_IndexTensor:$indices);
  let assemblyFormat = [{
    $input `k` $k `axis` $axis attr-dict `:` type($input) `->` type($values)
    `,` type($indices)
  }];
  let inferBody = [{
    return ::mlir::weft::inferTopKType(loc, adaptor.getInput().getType(),
        adaptor.getK(), adaptor.getAxis(), results);
  }];
}

class Weft_ScanOp<string mnemonic, string math, list<Trait> traits = []>
    : Weft_InferredOp<mnemonic, traits # [SameOperandsAndResultElementType]> {
  let summary = "the running " # math # " along one axis";
  let description = [{
    Element `i` along `axis` of the result is the }] # math # [{ of the
    input's elements `0..i` along that axis, as `torch.}] # mnemonic # [{`.

    Example:
    ```mlir
    %1 = weft.}] # mnemonic # [{ %0 axis 0 : tensor<50xf32> -> tensor<50xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, I64Attr:$axis);
  let results = (outs Weft_Tensor:$result);
  let assemblyFormat = [{
    $input `axis` $axis attr-dict `:` type($input) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferAxisPreservingType(loc,
        adaptor.getInput().getType(), adaptor.getAxis(), results);
  }];
}

def Weft_CumsumOp : Weft_ScanOp<"cumsum", "sum", [Weft_Differentiable]>;
def Weft_CumprodOp : Weft_ScanOp<"cumprod", "product", [Weft_Differentiable]>;

def Weft_SliceOp : Weft_InferredOp<"slice", [SameOperandsAndResultElementType,
    Weft_AcceptsIntegers, Weft_ElementMovingOpInterface,
    Weft_Differentiable]> {
  let summary = "a contiguous range along one axis";
  let description = [{
    Takes indices `start` to `end` (exclusive) of `input` along `axis`
    (negative counts from the end). With `drop`, the range has one index
    and the axis is removed: `x[:, t]` in NumPy terms.

    Example:
    ```mlir
    %1 = weft.slice %0 axis 1 from 2 to 5 : tensor<4x8xf32> -> tensor<4x3xf32>
    %2 = weft.slice %0 axis 1 from 3 to 4 drop : tensor<4x8xf32> -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input, I64Attr:$axis, I64Attr:$start,
                       I64Attr:$end, UnitAttr:$drop);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $input `axis` $axis `from` $start `to` $end (`drop` $drop^)? attr-dict `:`
    type($input) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferSliceType(loc, adaptor.getInput().getType(),
        static_cast<int64_t>(adaptor.getAxis()),
        static_cast<int64_t>(adaptor.getStart()),
        static_cast<int64_t>(adaptor.getEnd()),
        static_cast<bool>(adaptor.getDrop()), results);
  }];
}

// triu and tril: the elements on one side of a diagonal, zeros elsewhere.
class Weft_TriangleOp<string mnemonic, string side, string relation>
    : Weft_InferredOp<mnemonic, [SameOperandsAndResultElementType,
                                 Weft_AcceptsIntegers,
    Weft_Differentiable]> {
  let summary = "the " # side # " triangle of matrices";
  let description = [{
    Keeps the elements of `input` (of rank 2 or more, its last two axes the
    matrices) on and }] # side # [{ the diagonal `diagonal` and sets the
    others to zero, as `torch.}] # mnemonic # [{`: element `[..., i, j]`
    stays where `j - i }] # relation # [{ diagonal`. Diagonal 0 is the main
    diagonal, a positive one lies above it, a negative one below.

    Example:
    ```mlir
    %1 = weft.}] # mnemonic # [{ %0 diagonal 1 : tensor<4x4xf32> -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input,
                       DefaultValuedAttr<I64Attr, "0">:$diagonal);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $input `diagonal` $diagonal attr-dict `:` type($input) `->` type($result)
  }];
  let inferBody = [{
    auto type = ::llvm::cast<::mlir::TensorType>(adaptor.getInput().getType());
    if (type.hasRank() && type.getRank() < 2)
      return ::mlir::emitOptionalError(loc, "'}] # mnemonic # [{' needs a tensor "
          "of rank 2 or more, got ", ::mlir::weft::formatType(type));
    results.push_back(type);
    return ::mlir::success();
  }];
}

def Weft_TriuOp : Weft_TriangleOp<"triu", "above", ">=">;
def Weft_TrilOp : Weft_TriangleOp<"tril", "below", "<=">;

def Weft_LinspaceOp : Weft_Op<"linspace", [Pure]> {
  let summary = "evenly spaced numbers over an interval";
  let description = [{
    The vector of `n` numbers from `start` to `end`, both included, evenly
    spaced, as `torch.linspace(start, end, steps=n)`; `n` is the result's
    size. With `step = (end - start) / (n - 1)`, element `i` is
    `start + i * step` in the first half and `end - (n - 1 - i) * step` in
    the second (PyTorch's formula, exact at both ends), computed in double
    precision and rounded once; one element is `start`.

    Example:
    ```mlir
    %t = weft.linspace 0.000000e+00 to 1.000000e+00 : tensor<5xf32>
    ```
  }];
  let arguments = (ins F64Attr:$start, F64Attr:$end);
  let results = (outs 1DTensorOf<[F32, F64]>:$result);
  let assemblyFormat = "$start `to` $end attr-dict `:` type($result)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Element `i`, in double precision.
    double getElement(int64_t i);
  }];
}

def Weft_SelectScatterOp : Weft_InferredOp<"select_scatter",
    [SameOperandsAndResultElementType, Weft_AcceptsIntegers, Weft_ElementMovingOpInterface,
    Weft_Differentiable]> {
  let summary = "replaces one index along an axis";
  let description = [{
    `input` with position `index` along `axis` replaced by `value`, which has
    `input`'s shape without that axis: `x[:, t] = v` as a value, PyTorch's
    `torch.select_scatter`. Loops use it to collect per-step outputs and
    decoded tokens in a tensor of fixed shape.

    Example:
    ```mlir
    %1 = weft.select_scatter %0, %h axis 1 index 3 : tensor<4x8x16xf32>, tensor<4x16xf32> -> tensor<4x8x16xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input, Weft_ValueTensor:$value,
                       I64Attr:$axis, I64Attr:$index);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $input `,` $value `axis` $axis `index` $index attr-dict `:` type($input)
    `,` type($value) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferSelectScatterType(loc,
        adaptor.getInput().getType(), adaptor.getValue().getType(),
        adaptor.getAxis(), adaptor.getIndex(), results);
  }];
}

def Weft_FlattenOp : Weft_InferredOp<"flatten", [SameOperandsAndResultElementType,
    Weft_AcceptsIntegers, Weft_ElementMovingOpInterface, Weft_Differentiable]> {
  let summary = "merges a range of axes into one";
  let description = [{
    Merges axes `start` through `end` (inclusive; negative counts from the
    end) into one, as PyTorch's `torch.flatten`.

    Example:
    ```mlir
    %1 = weft.flatten %0 from 1 to -1 : tensor<8x16x5x5xf32> -> tensor<8x400xf32>
    ```
  }];
  let arguments = (ins Weft_ValueTensor:$input, I64Attr:$start, I64Attr:$end);
  let results = (outs Weft_ValueTensor:$result);
  let assemblyFormat = [{
    $input `from` $start `to` $end attr-dict `:` type($input) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferFlattenType(loc, adaptor.getInput().getType(),
        adaptor.getStart(), adaptor.getEnd(), results);
  }];
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

def Weft_LossReduction : I32EnumAttr<"LossReduction",
    "how a loss combines its elements (PyTorch's `reduction`)", [
      I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"mean", 1>,
      I32EnumAttrCase<"sum", 2>]> {
  let cppNamespace = "::mlir::weft";
}

// A loss is defined by weft ops: `weft-decompose` rewrites it into
// them once shapes are known, so that its gradient, lowering and
// interpretation are theirs.
class Weft_LossOp<string mnemonic, list<Trait> traits = []>
    : Weft_InferredOp<mnemonic, traits> {
  let results = (outs Weft_Tensor:$result);
}

def Weft_CrossEntropyOp : Weft_LossOp<"cross_entropy", [Weft_AcceptsIntegers]> {
  let summary = "cross-entropy of logits and class indices";
  let description = [{
    `torch.nn.functional.cross_entropy` with class indices: `input` holds
    logits `[N, C, d1, ...]` (classes on axis 1), `target` the classes
    `[N, d1, ...]`. Per element `-w[t] * log_softmax(input)[n, t, ...]`,
    `w` the optional class `weight` (ones); an element whose target is
    `ignore_index` counts 0 and is left out of the mean, which divides by
    the sum of the counted elements' weights. With `label_smoothing` `e`,
    the element's loss is `(1 - e)` times that plus `e / C` times
    `-sum_c w[c] * log_softmax(input)[n, c, ...]`. `reduction` `none` gives
    the per-element losses, `mean` and `sum` a scalar.

    Example:
    ```mlir
    %l = weft.cross_entropy %x, %t ignore_index -100 reduction mean label_smoothing 0.0 : tensor<4x10xf32>, tensor<4xi64> -> tensor<f32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, Weft_IndexTensor:$target,
                       Optional<Weft_Tensor>:$weight, I64Attr:$ignore_index,
                       Weft_LossReduction:$reduction, F64Attr:$label_smoothing);
  let assemblyFormat = [{
    $input `,` $target (`weight` $weight^)? `ignore_index` $ignore_index
    `reduction` $reduction `label_smoothing` $label_smoothing attr-dict `:`
    type($input) `,` type($target) (`,` type($weight)^)? `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferClassLossType(loc, "cross_entropy",
        adaptor.getInput().getType(), adaptor.getTarget().getType(),
        adaptor.getWeight() ? adaptor.getWeight().getType() : ::mlir::Type(),
        adaptor.getReduction(), results);
  }];
}

def Weft_NllLossOp : Weft_LossOp<"nll_loss", [Weft_AcceptsIntegers]> {
  let summary = "negative log-likelihood of log-probabilities and classes";
  let description = [{
    `torch.nn.functional.nll_loss`: `input` holds log-probabilities
    `[N, C, d1, ...]`, `target` the classes `[N, d1, ...]`; per element
    `-w[t] * input[n, t, ...]`, with `weight`, `ignore_index` and
    `reduction` as `weft.cross_entropy`'s.

    Example:
    ```mlir
    %l = weft.nll_loss %x, %t ignore_index -100 reduction sum : tensor<4x10xf32>, tensor<4xi64> -> tensor<f32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, Weft_IndexTensor:$target,
                       Optional<Weft_Tensor>:$weight, I64Attr:$ignore_index,
                       Weft_LossReduction:$reduction);
  let assemblyFormat = [{
    $input `,` $target (`weight` $weight^)? `ignore_index` $ignore_index
    `reduction` $reduction attr-dict `:` type($input) `,` type($target)
    (`,` type($weight)^)? `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferClassLossType(loc, "nll_loss",
        adaptor.getInput().getType(), adaptor.getTarget().getType(),
        adaptor.getWeight() ? adaptor.getWeight().getType() : ::mlir::Type(),
        adaptor.getReduction(), results);
  }];
}

class Weft_PointwiseLossOp<string mnemonic, string math>
    : Weft_LossOp<mnemonic> {
  let summary = math # " of `input` and `target`";
  let description = [{
    `torch.nn.functional.}] # mnemonic # [{`: }] # math # [{ elementwise
    (the operands broadcast), combined by `reduction` (`none`: the
    elementwise losses; `mean`: their mean; `sum`: their sum).

    Example:
    ```mlir
    %l = weft.}] # mnemonic # [{ %x, %t reduction mean : tensor<4x3xf32>, tensor<4x3xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, Weft_Tensor:$target,
                       Weft_LossReduction:$reduction);
  let assemblyFormat = [{
    $input `,` $target `reduction` $reduction attr-dict `:` type($input) `,`
    type($target) `->` type($result)
  }];
  let inferBody = [{
    return ::mlir::weft::inferPointwiseLossType(loc, "}] # mnemonic # [{",
        adaptor.getInput().getType(), adaptor.getTarget().getType(),
        adaptor.getReduction(), results);
  }];
}

def Weft_MseLossOp : Weft_PointwiseLossOp<"mse_loss",
    "the squared error `(input - target)^2`">;
def Weft_L1LossOp : Weft_PointwiseLossOp<"l1_loss",
    "the absolute error `|input - target|`">;

def Weft_BinaryCrossEntropyWithLogitsOp
    : Weft_LossOp<"binary_cross_entropy_with_logits",
                  [AttrSizedOperandSegments]> {
  let summary = "binary cross-entropy of logits and probabilities";
  let description = [{
    `torch.nn.functional.binary_cross_entropy_with_logits`: per element
    `-w * (p * t * log(sigmoid(x)) + (1 - t) * log(1 - sigmoid(x)))`, `x`
    the logits `input`, `t` the `target` probabilities, `w` the optional
    `weight` and `p` the optional `pos_weight` (both broadcasting),
    computed stably from `softplus(-x)`; combined by `reduction`.

    Example:
    ```mlir
    %l = weft.binary_cross_entropy_with_logits %x, %t reduction mean : tensor<4x1xf32>, tensor<4x1xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$input, Weft_Tensor:$target,
                       Optional<Weft_Tensor>:$weight,
                       Optional<Weft_Tensor>:$pos_weight,
                       Weft_LossReduction:$reduction);
  let assemblyFormat = [{
    $input `,` $target (`weight` $weight^ `:` type($weight))?
    (`pos_weight` $pos_weight^ `:` type($pos_weight))? `reduction`
    $reduction attr-dict `:` type($input) `,` type($target) `->`
    type($result)
  }];
  let inferBody = [{
    auto typeOf = [](::mlir::Value v) {
      return v ? v.getType() : ::mlir::Type();
    };
    return ::mlir::weft::inferPointwiseLossType(loc,
        "binary_cross_entropy_with_logits", adaptor.getInput().getType(),
        adaptor.getTarget().getType(), adaptor.getReduction(), results,
        {{"weight", typeOf(adaptor.getWeight())},
         {"pos_weight", typeOf(adaptor.getPosWeight())}});
  }];
}

//===----------------------------------------------------------------------===//
// Differentiation
//===----------------------------------------------------------------------===//

def Weft_GradientOp : Weft_InferredOp<"gradient"> {
  let summary = "the gradients of a scalar with respect to values";
  let description = [{
    The gradient of the float scalar `loss` with respect to each of `wrt`,
    `d loss / d wrt[i]`, of `wrt[i]`'s type: how the loss changes with each
    element of the value, through every use of the value the loss depends
    on. `weft-differentiate` replaces it by the reverse-mode gradient, weft
    ops built by the rules of the ops between the values and the loss
    (`DifferentiableOpInterface`).

    Example:
    ```mlir
    %g:2 = weft.gradient %loss wrt %w, %b : tensor<f32>, tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>, tensor<8xf32>
    ```
  }];
  let arguments = (ins Weft_Tensor:$loss, Variadic<Weft_Tensor>:$wrt);
  let results = (outs Variadic<Weft_Tensor>:$gradients);
  let assemblyFormat = [{
    $loss `wrt` $wrt attr-dict `:` type($loss) `,` type($wrt) `->`
    type($gradients)
  }];
  let inferBody = [{
    return ::mlir::weft::inferGradientTypes(loc, adaptor.getLoss().getType(),
        adaptor.getWrt().getTypes(), results);
  }];
}

//===----------------------------------------------------------------------===//
// Fusion groups
//===----------------------------------------------------------------------===//

def Weft_FusionKind : I32EnumAttr<"FusionKind",
    "what a fusion group computes, which decides how it is lowered", [
      I32EnumAttrCase<"elementwise", 0>, I32EnumAttrCase<"epilogue", 1>,
      I32EnumAttrCase<"normalization", 2>, I32EnumAttrCase<"attention", 3>,
      I32EnumAttrCase<"reduction", 4>]> {
  let cppNamespace = "::mlir::weft";
}

def Weft_FusedOp : Weft_Op<"fused", [IsolatedFromAbove, RecursiveMemoryEffects,
                                     SingleBlock]> {
  let summary = "ops the fusion passes grouped into one loop nest";
  let description = [{
    A group of ops that is lowered together, without materializing the
    values that flow between them. The body computes the results from the
    block arguments (one per input, same types) and ends in `weft.yield`.
    `kind` says what the group is, and so how `weft-lower-fusion-groups`
    realizes it once its ops are in linalg:

    - `elementwise`: a chain of elementwise and broadcasting ops, one loop
      nest;
    - `epilogue`: a matmul, linear or convolution followed by elementwise
      ops (bias, activation, residual add, scaling), applied tile by tile
      right after the tile of the product is computed;
    - `normalization`: a softmax or layer norm with its elementwise
      producers, in two passes (online statistics, then the result);
    - `attention`: one `weft.attention`, lowered flash-style — the keys in
      blocks with a running maximum and sum, never the whole score matrix;
    - `reduction`: a reduction whose elementwise producers are computed
      inside its loop.

    The fusion passes build the groups after shape inference; `weft compile
    --fusion=none` leaves them out.

    Example:
    ```mlir
    %y = weft.fused elementwise (%x, %b) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32> {
    ^bb0(%a: tensor<4x8xf32>, %c: tensor<8xf32>):
      %0 = weft.add %a, %c : tensor<4x8xf32>, tensor<8xf32> -> tensor<4x8xf32>
      %1 = weft.relu %0 : tensor<4x8xf32> -> tensor<4x8xf32>
      weft.yield %1 : tensor<4x8xf32>
    }
    ```
  }];
  let arguments = (ins Weft_FusionKind:$kind, Variadic<AnyTensor>:$inputs);
  let results = (outs Variadic<AnyTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $kind `(` $inputs `)` attr-dict `:` functional-type($inputs, $results)
    $body
  }];
  let hasVerifier = 1;
}

def Weft_YieldOp : Weft_Op<"yield", [Pure, Terminator, ReturnLike,
                                     HasParent<"FusedOp">]> {
  let summary = "the results of a fusion group";
  let description = [{
    Ends the body of `weft.fused`; its operands are the group's results.

    Example:
    ```mlir
    weft.yield %1 : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyTensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // WEFT_DIALECT_WEFT_IR_WEFTOPS_TD
