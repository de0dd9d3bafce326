//===- Compilation.cpp - A .weft file through the pipeline ----------------===//

#include "weft/Driver/Compilation.h"
#include "weft/Conversion/GPU/GPU.h"
#include "weft/Execution/JitRunner.h"
#include "weft/Lang/Parser.h"
#include "weft/Pipelines/Pipelines.h"
#include "weft/Runtime/TensorIO.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Path.h"
#include "llvm/Target/TargetMachine.h"
#include <cstdlib>

using namespace mlir;
using namespace mlir::weft;

Compilation::Compilation(MLIRContext &context, CompilationOptions options)
    : context(context), options(std::move(options)) {
  diagnostics =
      std::make_unique<SourceMgrDiagnosticHandler>(sourceMgr, &context);
  // Errors point into the source; the IR of the op is no help there.
  context.printOpOnDiagnostic(false);
}

Compilation::~Compilation() = default;

LogicalResult Compilation::load(llvm::StringRef path) {
  auto buffer = readRegularFile(path);
  if (!buffer) {
    llvm::errs() << "weft: error: " << llvm::toString(buffer.takeError())
                 << "\n";
    return failure();
  }
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  return parseMainBuffer();
}

LogicalResult Compilation::loadSource(llvm::StringRef source,
                                      llvm::StringRef name) {
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(source, name), llvm::SMLoc());
  return parseMainBuffer();
}

LogicalResult Compilation::replaceBody(llvm::StringRef symbol,
                                       llvm::StringRef expression,
                                       llvm::StringRef name) {
  unsigned id = sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(expression, name), llvm::SMLoc());
  ExprPtr expr = parseExpression(sourceMgr, id);
  if (!expr)
    return failure();
  auto [modelName, functionName] = symbol.rsplit('.');
  if (functionName.empty())
    std::swap(modelName, functionName);
  auto replace = [&](std::vector<FunctionAST> &functions) {
    for (FunctionAST &function : functions) {
      if (function.name != functionName)
        continue;
      StmtAST statement;
      statement.kind = StmtAST::Return;
      statement.loc = expr->getLoc();
      statement.value = std::move(expr);
      function.body.clear();
      function.body.push_back(std::move(statement));
      return true;
    }
    return false;
  };
  if (modelName.empty())
    return success(replace(ast->functions));
  for (ModelAST &model : ast->models)
    if (model.name == modelName)
      return success(replace(model.methods));
  return failure();
}

std::vector<std::string> Compilation::getImportPath() const {
  // The program's own directory, then WEFT_PATH, then the standard library.
  std::vector<std::string> path;
  llvm::StringRef main = sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
                             ->getBufferIdentifier();
  llvm::StringRef dir = llvm::sys::path::parent_path(main);
  path.push_back(dir.empty() ? "." : dir.str());
  if (const char *env = std::getenv("WEFT_PATH")) {
    llvm::SmallVector<llvm::StringRef> dirs;
    llvm::StringRef(env).split(dirs, ':', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef d : dirs)
      path.push_back(d.str());
  }
  path.push_back(WEFT_STDLIB_DIR);
  return path;
}

LogicalResult Compilation::parseMainBuffer() {
  ast = parseModule(sourceMgr, getImportPath());
  return success(ast.has_value());
}

LogicalResult Compilation::generate(const EntryPoint &entry,
                                    const llvm::StringMap<int64_t> &dims) {
  module = mlirGen(context, sourceMgr, *ast, entry, dims, options.seed,
                   options.learningRate);
  if (!module)
    return failure();
  // The entry point is called from C++ through its C interface.
  module->lookupSymbol(entry.symbol)
      ->setAttr("llvm.emit_c_interface", UnitAttr::get(&context));
  stage = Stage::AST;
  return success();
}

LogicalResult Compilation::lowerTo(Stage last) {
  PassManager pm(&context);
  for (const PipelineStage &pipelineStage : getStages(options.target)) {
    Stage next = pipelineStage.stage;
    if (next <= stage || next > last ||
        (next == Stage::Fused && !options.fusion))
      continue;
    // Emulated kernels are host loops: no NVVM, and the CPU's lowering to
    // the LLVM dialect.
    if (options.gpuEmulation && next == Stage::NVVM)
      continue;
    if (options.gpuEmulation && next == Stage::LLVMMLIR) {
      pm.addPass(createWeftGPUEmulateKernels());
      if (failed(addStagePasses(pm, getCpuStages().back())))
        return failure();
      continue;
    }
    if (failed(addStagePasses(pm, pipelineStage, options.gpuArch)))
      return failure();
  }
  if (failed(pm.run(*module)))
    return failure();
  stage = std::max(stage, std::min(last, Stage::LLVMMLIR));
  return success();
}

std::unique_ptr<llvm::Module>
mlir::weft::translateToLLVMIR(ModuleOp module, llvm::LLVMContext &context) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return nullptr;
  auto machine = createHostTargetMachine();
  if (!machine) {
    llvm::errs() << "weft: error: no code generator for the host CPU ("
                 << llvm::toString(machine.takeError()) << ")\n";
    return nullptr;
  }
  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  auto optimize = makeOptimizingTransformer(3, 0, machine->get());
  if (llvm::Error error = optimize(llvmModule.get())) {
    llvm::errs() << "weft: error: " << llvm::toString(std::move(error)) << '\n';
    return nullptr;
  }
  return llvmModule;
}

LogicalResult mlir::weft::emitHostAssembly(llvm::Module &module,
                                           llvm::raw_ostream &os) {
  auto machine = createHostTargetMachine();
  if (!machine) {
    llvm::errs() << "weft: error: no code generator for the host CPU ("
                 << llvm::toString(machine.takeError()) << ")\n";
    return failure();
  }
  llvm::SmallString<0> text;
  llvm::raw_svector_ostream stream(text);
  llvm::legacy::PassManager pm;
  if ((*machine)->addPassesToEmitFile(pm, stream, nullptr,
                                      llvm::CodeGenFileType::AssemblyFile)) {
    llvm::errs() << "weft: error: the host target cannot emit assembly\n";
    return failure();
  }
  pm.run(module);
  os << text;
  return success();
}

LogicalResult mlir::weft::printStage(Compilation &compilation, Stage stage,
                                     llvm::raw_ostream &os) {
  if (stage <= Stage::LLVMMLIR) {
    compilation.getModule().print(os);
    return success();
  }
  if (stage == Stage::PTX) {
    // gpu-module-to-binary{format=isa} left each kernel module's PTX text in
    // the object of its gpu.binary.
    bool any = false;
    compilation.getModule().walk([&](gpu::BinaryOp binary) {
      for (auto object : binary.getObjects().getAsRange<gpu::ObjectAttr>())
        os << "// weft: kernel module " << binary.getSymName() << '\n'
           << object.getObject().getValue() << '\n';
      any = true;
    });
    if (!any)
      os << "// weft: no kernels; the program runs on the host only\n";
    return success();
  }
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> module =
      translateToLLVMIR(compilation.getModule(), llvmContext);
  if (!module) {
    llvm::errs() << "weft: error: translation to LLVM IR failed\n";
    return failure();
  }
  if (stage == Stage::LLVM) {
    module->print(os, nullptr);
    return success();
  }
  return emitHostAssembly(*module, os);
}
