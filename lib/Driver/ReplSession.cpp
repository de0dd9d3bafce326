//===- ReplSession.cpp - The state of a `weft repl` session ---------------===//

#include "weft/Driver/ReplSession.h"
#include "weft/Dialect/Weft/IR/TypeInference.h"
#include "weft/Driver/Interrupt.h"
#include "weft/Driver/Invocation.h"
#include "weft/Pipelines/Pipelines.h"
#include "weft/Runtime/TensorIO.h"
#include "weft/Runtime/TensorPrinter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
constexpr llvm::StringLiteral kEntry = "__repl__";
constexpr llvm::StringLiteral kSessionModel = "__session__";
/// Compiled programs kept; beyond, the cache starts over.
constexpr size_t kMaxCompiled = 64;

constexpr llvm::StringLiteral kHelp = R"(Statements are weft (docs/language.md):
  def f(x) = ...          define a function; model M { ... } a model
  import nn               import a library
  x = expr                evaluate expr and bind the result to x
  a, b = expr             bind the several results of expr (a tuple)
  net = Net(...)          an instance of a model; net(x) calls its forward
  expr                    evaluate and print
Commands:
  :help                   this text
  :load file.weft         add the file's definitions to the session
  :ir name|expr [stage]   print a stage of a definition (a function or
                          Model.method with a typed signature) or of an
                          expression: weft (default), fused, linalg, then
                          on cpu loops, llvm-mlir, llvm, asm, on cuda gpu,
                          nvvm, llvm-mlir, llvm, asm, ptx
  :type expr              the dtype and shape of expr
  :time expr              JIT compile time and median run time of expr
  :passes                 the target's pipeline stages and their passes
  :target cpu|cuda [sm_NN]
                          compile for the CPU or for NVIDIA GPUs (running
                          needs a GPU and its driver)
  :weights net file.safetensors
                          load the instance's parameters (PyTorch names)
  :save x file.npy        write the tensor bound to x
  :loadnpy x file.npy     bind x to a tensor read from file
  :seed N                 the seed of rand/randn and of parameters
  :reset                  forget every definition and binding
  :quit                   leave (so does end of input)
)";

bool isIdentifierChar(char c) { return llvm::isAlnum(c) || c == '_'; }

/// The identifiers of `text`, in order of first appearance.
llvm::SmallVector<llvm::StringRef> identifiers(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef> names;
  for (size_t i = 0; i < text.size();) {
    if (!llvm::isAlpha(text[i]) && text[i] != '_') {
      // Skip numbers whole (`1e5` is not an identifier `e5`).
      if (llvm::isDigit(text[i]))
        while (i < text.size() && (isIdentifierChar(text[i]) || text[i] == '.'))
          ++i;
      else
        ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && isIdentifierChar(text[end]))
      ++end;
    llvm::StringRef name = text.slice(i, end);
    if (!llvm::is_contained(names, name))
      names.push_back(name);
    i = end;
  }
  return names;
}

/// The name a definition introduces: `f` for `def f(`, `M` for `model M`,
/// `import nn` for `import nn`.
std::optional<std::string> definedName(llvm::StringRef source) {
  llvm::StringRef text = source.ltrim();
  for (llvm::StringRef keyword : {"def ", "model "}) {
    if (!text.consume_front(keyword))
      continue;
    text = text.ltrim();
    llvm::StringRef name = text.take_while(isIdentifierChar);
    if (name.empty())
      return std::nullopt;
    return name.str();
  }
  if (text.starts_with("import "))
    return text.take_until([](char c) { return c == '\n' || c == '#'; })
        .rtrim()
        .str();
  return std::nullopt;
}

/// `name = ...` (not `==`): the name.
/// The names `x` or `a, b` assigned by `x = expr` or `a, b = expr`, and
/// the expression.
std::optional<std::pair<llvm::SmallVector<llvm::StringRef>, llvm::StringRef>>
assignedNames(llvm::StringRef input) {
  llvm::SmallVector<llvm::StringRef> names;
  llvm::StringRef rest = input;
  while (true) {
    llvm::StringRef name = rest.take_while(isIdentifierChar);
    if (name.empty() || (!llvm::isAlpha(name.front()) && name.front() != '_'))
      return std::nullopt;
    names.push_back(name);
    rest = rest.drop_front(name.size()).ltrim();
    if (!rest.consume_front(","))
      break;
    rest = rest.ltrim();
  }
  if (!rest.starts_with("=") || rest.starts_with("=="))
    return std::nullopt;
  return std::make_pair(names, rest.drop_front().trim());
}

/// Splits a file into its top-level definitions: each starts at a line
/// that begins, unindented, with `def`, `model` or `import`.
llvm::SmallVector<std::string> splitDefinitions(llvm::StringRef text) {
  llvm::SmallVector<std::string> chunks;
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    if (line.starts_with("def ") || line.starts_with("model ") ||
        line.starts_with("import ") || chunks.empty())
      chunks.emplace_back();
    chunks.back() += line.str() + "\n";
  }
  return chunks;
}
} // namespace

void ReplSession::setTarget(Target newTarget, llvm::StringRef newGpuArch) {
  compileOptions.target = newTarget;
  compileOptions.gpuArch = newGpuArch.str();
}

ReplSession::ReplSession(MLIRContext &context, llvm::raw_ostream &out)
    : context(context), out(out) {}

bool ReplSession::isIncomplete(llvm::StringRef text) {
  int depth = 0;
  llvm::StringRef lastLine;
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    llvm::StringRef code = line.take_until([](char c) { return c == '#'; });
    for (char c : code) {
      if (c == '(' || c == '[' || c == '{')
        ++depth;
      else if (c == ')' || c == ']' || c == '}')
        --depth;
    }
    if (!code.trim().empty())
      lastLine = code.rtrim();
  }
  if (depth > 0)
    return true;
  return (lastLine.ends_with("=") && !lastLine.ends_with("==")) ||
         lastLine.ends_with("|>") || lastLine.ends_with(",") ||
         lastLine.ends_with("+") || lastLine.ends_with("*");
}

std::string ReplSession::program(llvm::StringRef extra) const {
  std::string text;
  for (const auto &[name, source] : definitions)
    text += source + (llvm::StringRef(source).ends_with("\n") ? "" : "\n");
  return text + extra.str();
}

bool ReplSession::fail(llvm::Error error) {
  // An empty message: the diagnostics have been printed already.
  std::string message = llvm::toString(std::move(error));
  if (!message.empty())
    llvm::errs() << "error: " << message << '\n';
  return false;
}

bool ReplSession::define(llvm::StringRef name, llvm::StringRef source) {
  // The session as it would be, parsed: a syntax error leaves it unchanged.
  Definitions before = definitions;
  definitions[name.str()] = source.str();
  Compilation check(context, compileOptions);
  if (failed(check.loadSource(program(""), "<repl>"))) {
    definitions = std::move(before);
    return false;
  }
  return true;
}

std::string ReplSession::expressionProgram(llvm::StringRef expr,
                                           TensorMap &inputs,
                                           std::string &entry) const {
  // The bound tensors the expression names become typed parameters; the
  // instances it names, layers of the session's model.
  std::string params, layers;
  for (llvm::StringRef name : identifiers(expr)) {
    if (auto *instance = instances.find(name.str());
        instance != instances.end())
      layers += "  " + name.str() + " = " + instance->second + "\n";
    auto *binding = bindings.find(name.str());
    if (binding == bindings.end())
      continue;
    if (!params.empty())
      params += ", ";
    params += name.str() + ": " + binding->second.describe();
    inputs.insert({name.str(), binding->second.copy()});
  }
  // The body is a placeholder: compileProgram parses the expression from
  // a buffer of its own, so that errors are located in the typed input.
  std::string source = "def " + kEntry.str() + "(" + params + ") = 0\n";
  entry = kEntry.str();
  if (!layers.empty()) {
    source = "model " + kSessionModel.str() + " {\n" + layers + source + "}\n";
    entry = (kSessionModel + "." + kEntry).str();
  }
  return program(source);
}

std::unique_ptr<Compilation>
ReplSession::compileExpression(llvm::StringRef expr, TensorMap &inputs,
                               std::string &entry) {
  std::string source = expressionProgram(expr, inputs, entry);
  return compileProgram(source, entry, expr);
}

std::unique_ptr<Compilation> ReplSession::compileProgram(llvm::StringRef source,
                                                         llvm::StringRef entry,
                                                         llvm::StringRef expr) {
  auto compilation = std::make_unique<Compilation>(context, compileOptions);
  if (failed(compilation->loadSource(source, "<repl>")) ||
      failed(compilation->replaceBody(entry, expr, "<input>")))
    return nullptr;
  auto function = findEntryPoint(compilation->getAST(), entry);
  if (!function) {
    fail(function.takeError());
    return nullptr;
  }
  if (failed(compilation->generate(*function, {})) ||
      failed(compilation->lowerTo(Stage::Weft)))
    return nullptr;
  return compilation;
}

FailureOr<std::unique_ptr<Compilation>>
ReplSession::compileDefinition(llvm::StringRef name) {
  // `f`, `Model` (its forward) or `Model.method`, defined in the session
  // with a typed signature; symbolic dimensions get the default size.
  llvm::StringRef head = name.split('.').first;
  if (!definitions.count(head.str()) || !llvm::all_of(name, [](char c) {
        return isIdentifierChar(c) || c == '.';
      }))
    return std::unique_ptr<Compilation>();
  auto compilation = std::make_unique<Compilation>(context, compileOptions);
  if (failed(compilation->loadSource(program(""), "<repl>")))
    return failure();
  std::string symbol = name.str();
  if (!name.contains('.') && llvm::StringRef(definitions.find(symbol)->second)
                                 .ltrim()
                                 .starts_with("model "))
    symbol += ".forward";
  auto entry = findEntryPoint(compilation->getAST(), symbol);
  if (!entry) {
    fail(entry.takeError());
    return failure();
  }
  if (!llvm::all_of(entry->function->params,
                    [](const ParamAST &param) { return param.type; })) {
    fail(llvm::createStringError("'" + name.str() +
                                 "' has untyped parameters; show a call "
                                 "instead, as in :ir " +
                                 name.str() + "(x)"));
    return failure();
  }
  TensorMap inputs;
  llvm::StringMap<int64_t> dims;
  if (llvm::Error error = bindInputs(compilation->getAST(), *entry,
                                     InvocationOptions(), inputs, dims)) {
    fail(std::move(error));
    return failure();
  }
  if (failed(compilation->generate(*entry, dims)) ||
      failed(compilation->lowerTo(Stage::Weft)))
    return failure();
  return compilation;
}

llvm::Expected<std::vector<Tensor>>
ReplSession::evaluate(llvm::StringRef expr, unsigned benchmarkRuns) {
  TensorMap inputs;
  std::string entry;
  std::string source = expressionProgram(expr, inputs, entry);
  std::string key = (targetName(compileOptions.target) + " " +
                     compileOptions.gpuArch + "\n" + source + "\n" + expr)
                        .str();
  InvocationOptions options;
  options.seed = compileOptions.seed;
  options.benchmarkRuns = benchmarkRuns;
  options.weights = &weights;
  // A program compiled before (same definitions, expression and input
  // types) runs again without compiling; :time always compiles.
  auto cached = compiled.find(key);
  if (cached != compiled.end() && benchmarkRuns == 0)
    return cached->second->call(inputs);
  std::unique_ptr<Compilation> compilation =
      compileProgram(source, entry, expr);
  if (!compilation)
    return llvm::createStringError("");
  if (takeInterrupt())
    return llvm::createStringError("interrupted");
  EntryPoint point = *findEntryPoint(compilation->getAST(), entry);
  if (benchmarkRuns != 0)
    return invoke(*compilation, point, options, std::move(inputs));
  llvm::Expected<CompiledEntry> entryCode =
      compileEntry(*compilation, point, options);
  if (!entryCode)
    return entryCode.takeError();
  if (compiled.size() >= kMaxCompiled)
    compiled.clear();
  auto &slot = compiled[key];
  slot = std::make_unique<CompiledEntry>(std::move(*entryCode));
  if (takeInterrupt())
    return llvm::createStringError("interrupted (the compiled code is kept "
                                   "for the next evaluation)");
  return slot->call(inputs);
}

bool ReplSession::instantiate(llvm::StringRef name, llvm::StringRef call) {
  // The constructor is checked by generating the session's model with it
  // as its only layer and a method that uses nothing.
  std::string source = "model " + kSessionModel.str() + " {\n  " + name.str() +
                       " = " + call.str() + "\n  def " + kEntry.str() +
                       "() = zeros([1])\n}\n";
  Compilation check(context, compileOptions);
  if (failed(check.loadSource(program(source), "<repl>")))
    return false;
  auto entry =
      findEntryPoint(check.getAST(), (kSessionModel + "." + kEntry).str());
  if (!entry)
    return fail(entry.takeError());
  if (failed(check.generate(*entry, {})))
    return false;
  instances[name.str()] = call.str();
  // Parameters loaded for an earlier instance of this name are stale.
  forgetWeights(name);
  compiled.clear();
  return true;
}

void ReplSession::forgetWeights(llvm::StringRef instance) {
  std::string prefix = instance.str() + ".";
  weights.remove_if([&](const auto &entry) {
    return llvm::StringRef(entry.first).starts_with(prefix);
  });
}

bool ReplSession::execute(llvm::StringRef input) {
  input = input.trim();
  if (input.empty() || input.starts_with("#"))
    return true;
  if (input.starts_with(":"))
    return command(input.drop_front());
  if (std::optional<std::string> name = definedName(input))
    return define(*name, input);
  if (auto assigned = assignedNames(input)) {
    auto &[names, expr] = *assigned;
    llvm::StringRef callee = expr.take_while(isIdentifierChar);
    auto *model = definitions.find(callee.str());
    if (names.size() == 1 && model != definitions.end() &&
        llvm::StringRef(model->second).ltrim().starts_with("model "))
      return instantiate(names.front(), expr);
    llvm::Expected<std::vector<Tensor>> values = evaluate(expr, 0);
    if (!values)
      return fail(values.takeError());
    if (values->size() != names.size())
      return fail(llvm::createStringError(
          "'" + expr + "' gives " + llvm::Twine(values->size()) +
          (values->size() == 1 ? " value" : " values") + ", not " +
          llvm::Twine(names.size())));
    for (auto [name, value] : llvm::zip(names, *values))
      bindings[name.str()] = std::move(value);
    return true;
  }
  // Several values (a tuple) print as their parts, in order.
  llvm::Expected<std::vector<Tensor>> values = evaluate(input, 0);
  if (!values)
    return fail(values.takeError());
  for (const Tensor &value : *values)
    printTensor(out, value);
  return true;
}

bool ReplSession::command(llvm::StringRef line) {
  auto [name, rest] = line.split(' ');
  rest = rest.trim();
  auto usage = [&](llvm::StringRef text) {
    return fail(
        llvm::createStringError("usage: :" + name.str() + " " + text.str()));
  };
  if (name == "help") {
    out << kHelp;
    return true;
  }
  if (name == "quit" || name == "q") {
    quit = true;
    return true;
  }
  if (name == "reset") {
    definitions.clear();
    bindings.clear();
    instances.clear();
    weights.clear();
    compiled.clear();
    return true;
  }
  if (name == "weights") {
    auto [instance, path] = rest.split(' ');
    path = path.trim();
    if (instance.empty() || path.empty())
      return usage("instance file.safetensors");
    if (!instances.count(instance.str()))
      return fail(llvm::createStringError("no model instance named '" +
                                          instance.str() + "'"));
    llvm::Expected<TensorMap> file = readSafetensors(path);
    if (!file)
      return fail(file.takeError());
    // The file's tensors replace what was loaded for the instance before.
    forgetWeights(instance);
    for (auto &[key, tensor] : *file)
      weights[(instance + "." + key).str()] = std::move(tensor);
    compiled.clear();
    return true;
  }
  if (name == "seed") {
    if (rest.getAsInteger(10, compileOptions.seed))
      return usage("N");
    compiled.clear();
    return true;
  }
  if (name == "load") {
    if (rest.empty())
      return usage("file.weft");
    // The file is parsed whole first, so that its errors are located in it.
    Compilation check(context, compileOptions);
    if (failed(check.load(rest)))
      return false;
    llvm::StringRef text =
        check.getSourceMgr()
            .getMemoryBuffer(check.getSourceMgr().getMainFileID())
            ->getBuffer();
    llvm::SmallVector<std::string> chunks = splitDefinitions(text);
    if (llvm::none_of(chunks, [](const std::string &chunk) {
          return definedName(chunk).has_value();
        }))
      return fail(llvm::createStringError(rest + " defines nothing"));
    bool ok = true;
    for (const std::string &chunk : chunks)
      if (std::optional<std::string> defined = definedName(chunk))
        ok &= define(*defined, chunk);
    return ok;
  }
  if (name == "type") {
    if (rest.empty())
      return usage("expr");
    TensorMap inputs;
    std::string entry;
    std::unique_ptr<Compilation> compilation =
        compileExpression(rest, inputs, entry);
    if (!compilation)
      return false;
    auto func = compilation->getModule().lookupSymbol<func::FuncOp>(entry);
    llvm::interleaveComma(func.getResultTypes(), out,
                          [&](Type type) { out << formatType(type); });
    out << '\n';
    return true;
  }
  if (name == "time") {
    if (rest.empty())
      return usage("expr");
    llvm::Expected<std::vector<Tensor>> values = evaluate(rest, 10);
    return values ? true : fail(values.takeError());
  }
  if (name == "ir") {
    // `:ir expr [stage]`: a last word that names a stage is the stage.
    auto [head, last] = rest.rsplit(' ');
    std::optional<Stage> stage = parseStage(last);
    llvm::StringRef expr = stage ? head : rest;
    if (!stage)
      stage = Stage::Weft;
    if (expr.empty() || *stage == Stage::AST)
      return usage("name|expr [" + stageNames().drop_front(4).str() + "]");
    if (!hasStage(compileOptions.target, *stage))
      return fail(llvm::createStringError(
          "stage '" + last + "' is not a stage of the " +
          targetName(compileOptions.target) + " target (:target switches)"));
    FailureOr<std::unique_ptr<Compilation>> definition =
        compileDefinition(expr);
    if (failed(definition))
      return false;
    std::unique_ptr<Compilation> compilation = std::move(*definition);
    if (!compilation) {
      TensorMap inputs;
      std::string entry;
      compilation = compileExpression(expr, inputs, entry);
    }
    if (!compilation || failed(compilation->lowerTo(*stage)))
      return false;
    return succeeded(printStage(*compilation, *stage, out));
  }
  if (name == "passes") {
    for (const PipelineStage &stage : getStages(compileOptions.target))
      out << stageName(stage.stage) << " (" << stage.pipelineName
          << "): " << stage.passes << '\n';
    return true;
  }
  if (name == "target") {
    auto [targetName, arch] = rest.split(' ');
    std::optional<Target> newTarget = parseTarget(targetName);
    arch = arch.trim();
    if (!newTarget || (!arch.empty() && *newTarget == Target::CPU))
      return usage("cpu|cuda [sm_NN]");
    if (!arch.empty() && !isGpuArch(arch))
      return fail(llvm::createStringError(
          arch + ": expected an NVIDIA architecture such as sm_80 or sm_90"));
    setTarget(*newTarget,
              arch.empty() ? llvm::StringRef(kDefaultGpuArch) : arch);
    out << "target: " << targetName;
    if (compileOptions.target == Target::CUDA)
      out << " (" << compileOptions.gpuArch << ")";
    out << '\n';
    // Compiling needs no GPU; running does. Say so now rather than at the
    // first expression.
    if (llvm::Error error = JitProgram::checkTarget(compileOptions.target))
      llvm::errs() << "warning: " << llvm::toString(std::move(error))
                   << "; :ir still shows every stage\n";
    return true;
  }
  if (name == "save" || name == "loadnpy") {
    auto [var, path] = rest.split(' ');
    path = path.trim();
    if (var.empty() || path.empty())
      return usage("name file.npy");
    if (name == "loadnpy") {
      llvm::Expected<Tensor> tensor = readNpy(path);
      if (!tensor)
        return fail(tensor.takeError());
      bindings[var.str()] = std::move(*tensor);
      return true;
    }
    auto *binding = bindings.find(var.str());
    if (binding == bindings.end())
      return fail(
          llvm::createStringError("no tensor is bound to '" + var.str() + "'"));
    if (llvm::Error error = writeNpy(path, binding->second))
      return fail(std::move(error));
    return true;
  }
  return fail(llvm::createStringError("unknown command ':" + name.str() +
                                      "' (see :help)"));
}
