// The Python module `axon_runtime` over libaxon_runtime's C ABI (pybind11, numpy arrays):
//
//   import axon_runtime
//   lib = axon_runtime.open("axon-lib")
//   y = lib.run("rmsnorm_matmul", x=x, g=g, w=w)      # the one output, or a dict of several
//
// run() picks the entry whose signature matches the arrays (by name, dtype and shape), allocates
// the outputs not passed in, updates inout arrays in place, and releases the GIL while the kernel
// runs. Kernels found once are cached per library, so a call costs a few dictionary lookups.
// Errors raise axon_runtime.Error with .code (e.g. "signature_mismatch") and the runtime's message.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "axon_runtime.h"

namespace py = pybind11;

namespace {

struct Failure {
  axon_status code;
  std::string message;
};

[[noreturn]] void raise(axon_status s, const std::string& msg) { throw Failure{s, msg}; }
void check(axon_status s) {
  if (s != AXON_OK)
    raise(s, axon_last_error());
}

struct ArgInfo {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
  axon_role role;
};

std::string shape_text(const std::string& dtype, const std::vector<int64_t>& shape) {
  std::string s = dtype + "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

const char* role_text(axon_role r) {
  return r == AXON_INPUT ? "input" : r == AXON_OUTPUT ? "output" : "inout";
}

// The numpy dtype that carries a runtime dtype: f32 float32, f16 float16, bf16 uint16 (numpy has
// no bfloat16: pass the bits as a uint16 view, e.g. (x.view(np.uint32) >> 16).astype(np.uint16)),
// bool, and integer dtypes by width and signedness.
struct NumpyType {
  char kind;
  int size;
  const char* name;
};

const NumpyType* numpy_type(const std::string& dtype) {
  static const std::map<std::string, NumpyType> types = {
      {"f32", {'f', 4, "float32"}}, {"f16", {'f', 2, "float16"}}, {"bf16", {'u', 2, "uint16"}},
      {"bool", {'b', 1, "bool"}},   {"i8", {'i', 1, "int8"}},     {"i16", {'i', 2, "int16"}},
      {"i32", {'i', 4, "int32"}},   {"i64", {'i', 8, "int64"}},   {"u8", {'u', 1, "uint8"}},
      {"u16", {'u', 2, "uint16"}},  {"u32", {'u', 4, "uint32"}},  {"u64", {'u', 8, "uint64"}}};
  auto it = types.find(dtype);
  return it == types.end() ? nullptr : &it->second;
}

std::string numpy_name(const std::string& dtype) {
  const NumpyType* t = numpy_type(dtype);
  return t ? t->name : "no numpy dtype";
}

bool dtype_matches(const py::array& a, const std::string& dtype) {
  const NumpyType* t = numpy_type(dtype);
  if (!t)
    return false;
  py::dtype d = a.dtype();
  return d.kind() == t->kind && d.itemsize() == t->size && d.byteorder() != '>';
}

// A C-contiguous array of DTYPE and SHAPE in a 64-byte aligned buffer that the array owns.
py::array aligned_array_of(const std::string& dtype, const std::vector<int64_t>& shape) {
  const NumpyType* t = numpy_type(dtype);
  if (!t)
    raise(AXON_ERR_SIGNATURE, "dtype '" + dtype + "' has no numpy equivalent");
  size_t n = 1;
  for (auto d : shape)
    n *= static_cast<size_t>(d);
  size_t bytes = std::max<size_t>((n * t->size + 63) / 64 * 64, 64);
  void* p = std::aligned_alloc(64, bytes);
  if (!p)
    throw std::bad_alloc();
  py::capsule owner(p, [](void* q) { std::free(q); });
  return py::array(py::dtype(t->name), shape, p, owner);
}

std::string array_text(const py::array& a) {
  std::vector<int64_t> shape(a.shape(), a.shape() + a.ndim());
  return shape_text(py::str(a.dtype()).cast<std::string>(), shape);
}

// OBJ as an array: an ndarray as is; a numpy scalar (e.g. numpy.float32(0.1), for a rank-0
// input such as a learning rate) as a 0-d array of its own dtype. Anything else: a null handle.
py::object as_array(const py::handle& obj) {
  if (py::isinstance<py::array>(obj))
    return py::reinterpret_borrow<py::object>(obj);
  static const py::handle generic =
      py::object(py::module_::import("numpy").attr("generic")).release();
  if (PyObject_IsInstance(obj.ptr(), generic.ptr()) == 1)
    return py::array::ensure(obj);
  return py::object();
}

// Why OBJ cannot be argument ARG ("" when it can).
std::string array_mismatch(const ArgInfo& arg, const py::handle& obj) {
  py::object o = as_array(obj);
  if (!o || (!py::isinstance<py::array>(obj) && arg.role != AXON_INPUT))
    return "argument '" + arg.name + "' must be a numpy array of " +
           shape_text(arg.dtype, arg.shape) + ", got " +
           py::str(py::type::of(obj)).cast<std::string>();
  py::array a = py::reinterpret_borrow<py::array>(o);
  std::vector<int64_t> shape(a.shape(), a.shape() + a.ndim());
  if (!dtype_matches(a, arg.dtype) || shape != arg.shape)
    return "argument '" + arg.name + "': the kernel takes " + shape_text(arg.dtype, arg.shape) +
           " (numpy " + numpy_name(arg.dtype) + "), got " + array_text(a);
  return "";
}

struct Kernel {
  axon_kernel* k = nullptr;
  std::string id;
  std::vector<ArgInfo> args;
  std::vector<py::str> names; // the argument names as Python strings, for kwargs lookups
  size_t outputs = 0;
};

class Library {
public:
  explicit Library(const std::string& dir) : dir_(dir) {
    axon_library* lib = nullptr;
    check(axon_open(dir.c_str(), &lib));
    lib_.reset(lib);
  }

  py::list kernels() const {
    py::list out;
    for (size_t i = 0; i < axon_kernel_count(lib_.get()); ++i) {
      py::list args;
      for (const ArgInfo& a : entry_args(i))
        args.append(py::dict(py::arg("name") = a.name, py::arg("dtype") = a.dtype,
                             py::arg("shape") = py::tuple(py::cast(a.shape)),
                             py::arg("role") = role_text(a.role)));
      out.append(py::dict(py::arg("id") = axon_entry_id(lib_.get(), i),
                          py::arg("name") = axon_entry_name(lib_.get(), i),
                          py::arg("target") = axon_entry_target(lib_.get(), i),
                          py::arg("backend") = axon_entry_backend(lib_.get(), i),
                          py::arg("arguments") = args));
    }
    return out;
  }

  py::object run(const std::string& name, const py::kwargs& kw) {
    // A masked array is an ndarray whose mask the kernel would silently ignore.
    static const py::handle masked =
        py::object(py::module_::import("numpy.ma").attr("MaskedArray")).release();
    for (auto item : kw)
      if (PyObject_IsInstance(item.second.ptr(), masked.ptr()) == 1)
        raise(AXON_ERR_ARGUMENT, "argument '" + py::str(item.first).cast<std::string>() +
                                     "' is a numpy masked array, and kernels do not read masks; "
                                     "pass its data explicitly (e.g. a.filled(0) or "
                                     "numpy.ma.getdata(a))");
    Kernel& k = kernel_for(name, kw);
    const size_t n = k.args.size();
    std::vector<void*> ptrs(n);
    std::vector<py::array> keep(n);
    for (size_t i = 0; i < n; ++i) {
      const ArgInfo& a = k.args[i];
      PyObject* given = PyDict_GetItem(kw.ptr(), k.names[i].ptr());
      if (!given) {
        // Only outputs may be left out (kernel_for checked); allocate them, 64-byte aligned
        // (numpy's own allocation is aligned to 16 bytes, on which the kernels' vectors straddle
        // cache lines and streaming stores fall back to ordinary ones: docs/runtime.md).
        keep[i] = aligned_array_of(a.dtype, a.shape);
      } else {
        keep[i] = py::reinterpret_borrow<py::array>(as_array(given));
        if (!(keep[i].flags() & py::array::c_style))
          raise(AXON_ERR_ARGUMENT,
                "argument '" + a.name + "' must be C-contiguous (use numpy.ascontiguousarray)");
        if (a.role != AXON_INPUT && !keep[i].writeable())
          raise(AXON_ERR_ARGUMENT,
                "argument '" + a.name + "' (" + role_text(a.role) + ") must be writeable");
      }
      ptrs[i] = keep[i].mutable_data();
    }
    axon_status s;
    {
      py::gil_scoped_release nogil;
      s = axon_run(k.k, ptrs.data(), n);
    }
    check(s);
    if (k.outputs == 0)
      return py::none();
    if (k.outputs == 1) {
      for (size_t i = 0; i < n; ++i)
        if (k.args[i].role == AXON_OUTPUT)
          return keep[i];
    }
    py::dict out;
    for (size_t i = 0; i < n; ++i)
      if (k.args[i].role == AXON_OUTPUT)
        out[k.names[i]] = keep[i];
    return out;
  }

  std::string dir() const { return dir_; }

private:
  std::vector<ArgInfo> entry_args(size_t i) const {
    std::vector<ArgInfo> out;
    for (size_t j = 0; j < axon_entry_arg_count(lib_.get(), i); ++j) {
      axon_arg a;
      axon_role r;
      check(axon_entry_arg(lib_.get(), i, j, &a, &r));
      out.push_back({a.name, a.dtype, std::vector<int64_t>(a.shape, a.shape + a.rank), r});
    }
    return out;
  }

  // Why KW cannot be the arguments of a kernel with ARGS ("" when it can): every input and inout
  // given with its exact dtype and shape, outputs given or not, nothing else.
  static std::string mismatch(const std::vector<ArgInfo>& args, const py::kwargs& kw) {
    for (auto& a : args) {
      PyObject* v = PyDict_GetItemString(kw.ptr(), a.name.c_str());
      if (!v) {
        if (a.role != AXON_OUTPUT)
          return "argument '" + a.name + "' (" + shape_text(a.dtype, a.shape) + ", " +
                 role_text(a.role) + ") is missing";
        continue;
      }
      if (std::string m = array_mismatch(a, v); !m.empty())
        return m;
    }
    for (auto item : kw) {
      std::string key = py::str(item.first);
      bool known = false;
      for (auto& a : args)
        known = known || a.name == key;
      if (!known) {
        std::string names;
        for (auto& a : args)
          names += (names.empty() ? "" : ", ") + a.name;
        return "the kernel has no argument '" + key + "' (its arguments: " + names + ")";
      }
    }
    return "";
  }

  Kernel& kernel_for(const std::string& name, const py::kwargs& kw) {
    auto& cached = cache_[name];
    for (auto& k : cached)
      if (mismatch(k->args, kw).empty())
        return *k;
    // Not seen yet: find the manifest entry these arrays fit, then let the runtime check and load
    // it.
    std::vector<std::string> why;
    // An entry fits the arrays but this machine cannot run it (a CPU feature, no loader for its
    // backend): the first such reason, with its status.
    std::string cpu_why;
    axon_status cpu_status = AXON_ERR_CPU;
    bool named = false;
    for (size_t i = 0; i < axon_kernel_count(lib_.get()); ++i) {
      if (name != axon_entry_name(lib_.get(), i))
        continue;
      named = true;
      std::vector<ArgInfo> args = entry_args(i);
      std::string m = mismatch(args, kw);
      if (!m.empty()) {
        why.push_back(std::string(axon_entry_id(lib_.get(), i)) + ": " + m);
        continue;
      }
      std::vector<axon_arg> sig;
      for (auto& a : args)
        sig.push_back({a.name.c_str(), a.dtype.c_str(), static_cast<int32_t>(a.shape.size()),
                       a.shape.data()});
      axon_kernel* k = nullptr;
      axon_status s = axon_find(lib_.get(), name.c_str(), sig.data(), sig.size(), &k);
      if (s == AXON_ERR_CPU || s == AXON_ERR_NO_LOADER || s == AXON_ERR_NO_DEVICE) {
        if (cpu_why.empty()) {
          cpu_why = axon_last_error();
          cpu_status = s;
        }
        continue;
      }
      check(s);
      for (auto& c : cached)
        if (c->k == k)
          return *c; // the same kernel under another set of given arrays
      auto kern = std::make_unique<Kernel>();
      kern->k = k;
      kern->id = axon_kernel_id(k);
      kern->args = std::move(args);
      for (auto& a : kern->args) {
        kern->names.push_back(py::str(a.name));
        kern->outputs += a.role == AXON_OUTPUT;
      }
      cached.push_back(std::move(kern));
      return *cached.back();
    }
    if (!named) {
      // The runtime's message lists the names the library has.
      axon_kernel* k = nullptr;
      check(axon_find(lib_.get(), name.c_str(), nullptr, 0, &k));
    }
    if (!cpu_why.empty())
      raise(cpu_status, cpu_why);
    std::string msg = "kernel '" + name + "' in " + dir_ + ": ";
    if (why.size() == 1) {
      size_t colon = why[0].find(": ");
      msg += colon == std::string::npos ? why[0] : why[0].substr(colon + 2);
    } else {
      msg += "no entry fits these arrays: ";
      for (size_t i = 0; i < why.size(); ++i)
        msg += (i ? "; " : "") + why[i];
    }
    raise(AXON_ERR_SIGNATURE, msg);
  }

  struct Close {
    void operator()(axon_library* l) const { axon_close(l); }
  };
  std::string dir_;
  std::unique_ptr<axon_library, Close> lib_;
  std::map<std::string, std::vector<std::unique_ptr<Kernel>>> cache_;
};

} // namespace

PYBIND11_MODULE(axon_runtime, m) {
  m.doc() = "Load and run axon-synth kernels from a kernel library (libaxon_runtime).";
  static py::exception<Failure> error(m, "Error", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p)
        std::rethrow_exception(p);
    } catch (const Failure& f) {
      py::object type = error;
      py::object e = type(f.message);
      e.attr("code") = axon_status_name(f.code);
      PyErr_SetObject(error.ptr(), e.ptr());
    }
  });
  py::class_<Library>(m, "Library")
      .def(py::init<const std::string&>(), py::arg("dir"))
      .def("kernels", &Library::kernels,
           "The manifest's entries: id, name, target, backend and arguments of each")
      // The kernel name is taken positionally, so a kernel argument may be called "name" too.
      .def(
          "run",
          [](Library& l, const py::args& a, const py::kwargs& kw) {
            if (a.size() != 1 || !py::isinstance<py::str>(a[0]))
              throw py::type_error("run(name, **arrays): give the kernel's name as the one "
                                   "positional argument");
            return l.run(a[0].cast<std::string>(), kw);
          },
          "run(name, **arrays): run kernel NAME on numpy arrays given by argument name; returns "
          "the output (or a dict of outputs)")
      .def_property_readonly("dir", &Library::dir);
  m.def(
      "open", [](const std::string& dir) { return std::make_unique<Library>(dir); }, py::arg("dir"),
      "Open a kernel library directory (reads its manifest.json)");
  m.def(
      "cpu_supports", [](const std::string& f) { return axon_cpu_supports(f.c_str()); },
      py::arg("feature"),
      "1 if this CPU has the feature (LLVM name, e.g. 'avx2'), 0 if not, -1 if unknown");
}
