# The CUDA backend is optional: the CPU library never needs it (DESIGN.md §1). When a CUDA compiler is present and
# the CUDA sources exist, the CUDA library is built or the configure step fails; it is never skipped silently.
include(CheckLanguage)
check_language(CUDA)
file(GLOB TTC_CUDA_SOURCES CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/src/cuda/*.cu")
if(NOT CMAKE_CUDA_COMPILER)
  message(STATUS "TtcNative: no CUDA compiler found; building the CPU library only")
elseif(NOT TTC_CUDA_SOURCES)
  message(STATUS "TtcNative: CUDA compiler ${CMAKE_CUDA_COMPILER} found, but native/src/cuda has no sources yet; "
                 "building the CPU library only")
else()
  message(FATAL_ERROR "TtcNative: native/src/cuda has sources but no CUDA build is defined for them")
endif()
