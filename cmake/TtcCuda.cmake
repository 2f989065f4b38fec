# The CUDA backend, libttc_cuda.so (DESIGN.md §1): a separate library so that libttc.so loads without a CUDA driver.
# TTC_CUDA=AUTO builds it whenever a CUDA compiler is found, and then a failure to build it fails the build: it is
# never skipped silently. TTC_CUDA=OFF leaves it out on purpose (the sanitizer build does), and says so.
set(TTC_CUDA AUTO CACHE STRING "Build the CUDA backend: AUTO (when nvcc is found), ON (required) or OFF")
set_property(CACHE TTC_CUDA PROPERTY STRINGS AUTO ON OFF)

if(TTC_CUDA STREQUAL "OFF")
  message(STATUS "TtcNative: CUDA backend off (TTC_CUDA=OFF)")
  return()
endif()

# nvcc 11.8 (Debian 12, CI) rejects g++ 12: use g++-11 as its host compiler when it is installed.
if(NOT DEFINED CMAKE_CUDA_HOST_COMPILER AND NOT DEFINED ENV{CUDAHOSTCXX})
  find_program(TTC_GXX11 g++-11)
  if(TTC_GXX11)
    set(CMAKE_CUDA_HOST_COMPILER "${TTC_GXX11}" CACHE FILEPATH "Host compiler for nvcc")
  endif()
endif()

include(CheckLanguage)
check_language(CUDA)
if(NOT CMAKE_CUDA_COMPILER)
  if(TTC_CUDA STREQUAL "ON")
    message(FATAL_ERROR "TtcNative: TTC_CUDA=ON but no working CUDA compiler was found")
  endif()
  message(STATUS "TtcNative: no CUDA compiler found; building the CPU library only")
  return()
endif()

if(NOT CMAKE_CUDA_ARCHITECTURES)
  # sm_80 and sm_90 machine code, plus compute_90 PTX for later GPUs.
  set(CMAKE_CUDA_ARCHITECTURES "80-real;90")
endif()
set(CMAKE_CUDA_STANDARD 17)
set(CMAKE_CUDA_STANDARD_REQUIRED ON)
enable_language(CUDA)
find_package(CUDAToolkit REQUIRED)
message(STATUS "TtcNative: CUDA backend with nvcc ${CMAKE_CUDA_COMPILER_VERSION} for ${CMAKE_CUDA_ARCHITECTURES}")

file(GLOB TTC_CUDA_SOURCES CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/src/cuda/*.cu")
add_library(ttc_cuda SHARED
  ${TTC_CUDA_SOURCES}
  src/cuda/cuda_api.cpp
  src/cpu/failure.cpp
  src/cpu/tensor_check.cpp)
target_include_directories(ttc_cuda PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
target_compile_definitions(ttc_cuda PRIVATE TTC_BUILDING_CUDA_LIBRARY)
target_link_libraries(ttc_cuda PRIVATE CUDA::cudart_static)
set_target_properties(ttc_cuda PROPERTIES C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden
                                          CUDA_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
                                          CUDA_RUNTIME_LIBRARY Static)
ttc_enable_warnings(ttc_cuda)
ttc_place_library(ttc_cuda)
set(TTC_HAVE_CUDA ON)
