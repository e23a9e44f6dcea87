; ModuleID = 'softmax_group_threads'
source_filename = "softmax_group_threads"

; Function Attrs: nounwind
define void @softmax_group_threads(i8** noalias %buffers) #0 {
entry:
  %group.ptrs = alloca [6 x i8*], align 8
  %group.live = alloca [1 x i64], align 8
  %group.args = alloca [2 x [4 x i64]], align 8
  %group.threads = alloca [2 x i64], align 8
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %x.raw = load i8*, i8** %0, align 8
  %x = bitcast i8* %x.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %y.raw = load i8*, i8** %1, align 8
  %y = bitcast i8* %y.raw to float*
  %2 = getelementptr inbounds i8*, i8** %buffers, i64 2
  %y.mx.raw = load i8*, i8** %2, align 8
  %y.mx = bitcast i8* %y.mx.raw to float*
  %3 = getelementptr inbounds i8*, i8** %buffers, i64 3
  %y.e.raw = load i8*, i8** %3, align 8
  %y.e = bitcast i8* %y.e.raw to float*
  %4 = getelementptr inbounds i8*, i8** %buffers, i64 4
  %y.s.raw = load i8*, i8** %4, align 8
  %y.s = bitcast i8* %y.s.raw to float*
  %5 = getelementptr inbounds i8*, i8** %buffers, i64 5
  %axon.scratch = load i8*, i8** %5, align 8
  %6 = getelementptr inbounds [6 x i8*], [6 x i8*]* %group.ptrs, i64 0, i64 0
  store i8* %axon.scratch, i8** %6, align 8
  %7 = getelementptr inbounds [6 x i8*], [6 x i8*]* %group.ptrs, i64 0, i64 1
  %8 = bitcast float* %x to i8*
  store i8* %8, i8** %7, align 8
  %9 = getelementptr inbounds [6 x i8*], [6 x i8*]* %group.ptrs, i64 0, i64 2
  %10 = bitcast float* %y to i8*
  store i8* %10, i8** %9, align 8
  %11 = getelementptr inbounds [6 x i8*], [6 x i8*]* %group.ptrs, i64 0, i64 3
  %12 = bitcast float* %y.e to i8*
  store i8* %12, i8** %11, align 8
  %13 = getelementptr inbounds [6 x i8*], [6 x i8*]* %group.ptrs, i64 0, i64 4
  %14 = bitcast float* %y.mx to i8*
  store i8* %14, i8** %13, align 8
  %15 = getelementptr inbounds [6 x i8*], [6 x i8*]* %group.ptrs, i64 0, i64 5
  %16 = bitcast float* %y.s to i8*
  store i8* %16, i8** %15, align 8
  %17 = getelementptr inbounds [2 x [4 x i64]], [2 x [4 x i64]]* %group.args, i64 0, i64 0
  %18 = bitcast [4 x i64]* %17 to i64*
  %19 = ptrtoint [6 x i8*]* %group.ptrs to i64
  store i64 %19, i64* %18, align 4
  %20 = getelementptr inbounds i64, i64* %18, i64 1
  store i64 0, i64* %20, align 4
  %21 = getelementptr inbounds i64, i64* %18, i64 2
  store i64 2, i64* %21, align 4
  %22 = getelementptr inbounds i64, i64* %18, i64 3
  %23 = ptrtoint [1 x i64]* %group.live to i64
  store i64 %23, i64* %22, align 4
  %24 = bitcast [4 x i64]* %17 to i8*
  %25 = getelementptr inbounds [2 x [4 x i64]], [2 x [4 x i64]]* %group.args, i64 0, i64 1
  %26 = bitcast [4 x i64]* %25 to i64*
  %27 = ptrtoint [6 x i8*]* %group.ptrs to i64
  store i64 %27, i64* %26, align 4
  %28 = getelementptr inbounds i64, i64* %26, i64 1
  store i64 1, i64* %28, align 4
  %29 = getelementptr inbounds i64, i64* %26, i64 2
  store i64 2, i64* %29, align 4
  %30 = getelementptr inbounds i64, i64* %26, i64 3
  %31 = ptrtoint [1 x i64]* %group.live to i64
  store i64 %31, i64* %30, align 4
  %32 = bitcast [4 x i64]* %25 to i8*
  %33 = getelementptr inbounds [2 x i64], [2 x i64]* %group.threads, i64 0, i64 1
  %34 = call i32 @pthread_create(i64* %33, i8* null, i8* (i8*)* @softmax_group_threads.group0, i8* %32)
  %35 = icmp eq i32 %34, 0
  br i1 %35, label %thread.next, label %thread.inline

thread.inline:                                    ; preds = %entry
  %36 = call i8* @softmax_group_threads.group0(i8* %32)
  br label %thread.next

thread.next:                                      ; preds = %thread.inline, %entry
  %37 = call i8* @softmax_group_threads.group0(i8* %24)
  br i1 %35, label %thread.join, label %thread.joined

thread.join:                                      ; preds = %thread.next
  %38 = getelementptr inbounds [2 x i64], [2 x i64]* %group.threads, i64 0, i64 1
  %39 = load i64, i64* %38, align 4
  %40 = call i32 @pthread_join(i64 %39, i8** null)
  br label %thread.joined

thread.joined:                                    ; preds = %thread.join, %thread.next
  ret void
}

; Function Attrs: nounwind
define internal i8* @softmax_group_threads.group0(i8* %0) #0 {
entry:
  %vred.j12 = alloca <8 x float>, align 32
  %vred.j = alloca <8 x float>, align 32
  %1 = bitcast i8* %0 to i64*
  %2 = load i64, i64* %1, align 4
  %3 = inttoptr i64 %2 to i8**
  %4 = getelementptr inbounds i64, i64* %1, i64 1
  %tid = load i64, i64* %4, align 4
  %5 = getelementptr inbounds i64, i64* %1, i64 2
  %nthreads = load i64, i64* %5, align 4
  %6 = getelementptr inbounds i64, i64* %1, i64 3
  %7 = load i64, i64* %6, align 4
  %8 = inttoptr i64 %7 to i64*
  %9 = getelementptr inbounds i8*, i8** %3, i64 0
  %10 = load i8*, i8** %9, align 8
  %11 = getelementptr inbounds i8*, i8** %3, i64 1
  %12 = load i8*, i8** %11, align 8
  %x = bitcast i8* %12 to float*
  %13 = getelementptr inbounds i8*, i8** %3, i64 2
  %14 = load i8*, i8** %13, align 8
  %y = bitcast i8* %14 to float*
  %15 = getelementptr inbounds i8*, i8** %3, i64 3
  %16 = load i8*, i8** %15, align 8
  %y.e = bitcast i8* %16 to float*
  %17 = getelementptr inbounds i8*, i8** %3, i64 4
  %18 = load i8*, i8** %17, align 8
  %y.mx = bitcast i8* %18 to float*
  %19 = getelementptr inbounds i8*, i8** %3, i64 5
  %20 = load i8*, i8** %19, align 8
  %y.s = bitcast i8* %20 to float*
  %21 = sub i64 %nthreads, 1
  %22 = add i64 3, %21
  %23 = sdiv i64 %22, %nthreads
  %24 = mul i64 %tid, %23
  %25 = add i64 %24, %23
  %26 = icmp slt i64 %25, 3
  %27 = select i1 %26, i64 %25, i64 3
  %28 = icmp slt i64 %24, %27
  %29 = select i1 %28, i64 %24, i64 %27
  %30 = mul i64 %tid, 18880
  %31 = add i64 0, %30
  %32 = add i64 %31, 0
  %33 = getelementptr inbounds i8, i8* %10, i64 %32
  %34 = ptrtoint i8* %33 to i64
  %35 = add i64 %34, 4095
  %36 = and i64 %35, -4096
  %37 = sub i64 %36, %34
  %38 = add i64 %37, 2048
  %39 = getelementptr inbounds i8, i8* %33, i64 %38
  %y.mx.slice = bitcast i8* %39 to float*
  %40 = add i64 %31, 6208
  %41 = getelementptr inbounds i8, i8* %10, i64 %40
  %42 = ptrtoint i8* %41 to i64
  %43 = add i64 %42, 4095
  %44 = and i64 %43, -4096
  %45 = sub i64 %44, %42
  %46 = add i64 %45, 2112
  %47 = getelementptr inbounds i8, i8* %41, i64 %46
  %y.e.slice = bitcast i8* %47 to float*
  %48 = add i64 %31, 12544
  %49 = getelementptr inbounds i8, i8* %10, i64 %48
  %50 = ptrtoint i8* %49 to i64
  %51 = add i64 %50, 4095
  %52 = and i64 %51, -4096
  %53 = sub i64 %52, %50
  %54 = add i64 %53, 2176
  %55 = getelementptr inbounds i8, i8* %49, i64 %54
  %y.s.slice = bitcast i8* %55 to float*
  br label %group0.head

group0.head:                                      ; preds = %_b0.i.exit21, %entry
  %group0 = phi i64 [ %29, %entry ], [ %group0.next, %_b0.i.exit21 ]
  %56 = icmp slt i64 %group0, %27
  br i1 %56, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  %57 = mul i64 %group0, 2
  br label %_b0.i.head

group0.exit:                                      ; preds = %group0.head
  ret i8* null

_b0.i.head:                                       ; preds = %r.j.v.exit, %group0.body
  %_b0.i = phi i64 [ 0, %group0.body ], [ %_b0.i.next, %r.j.v.exit ]
  %58 = icmp slt i64 %_b0.i, 2
  br i1 %58, label %_b0.i.body, label %_b0.i.exit

_b0.i.body:                                       ; preds = %_b0.i.head
  %59 = mul i64 %group0, 2
  %_b0 = add i64 %59, %_b0.i
  store <8 x float> <float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000>, <8 x float>* %vred.j, align 32
  br label %r.j.v.head

_b0.i.exit:                                       ; preds = %_b0.i.head
  br label %_b0.i.head1

r.j.v.head:                                       ; preds = %r.j.v.body, %_b0.i.body
  %r.j.v = phi i64 [ 0, %_b0.i.body ], [ %r.j.v.next, %r.j.v.body ]
  %60 = icmp slt i64 %r.j.v, 2
  br i1 %60, label %r.j.v.body, label %r.j.v.exit

r.j.v.body:                                       ; preds = %r.j.v.head
  %61 = mul i64 %r.j.v, 8
  %62 = add nuw nsw i64 0, %_b0
  %63 = mul nuw nsw i64 %62, 16
  %64 = add nuw nsw i64 %63, %61
  %65 = getelementptr inbounds float, float* %x, i64 %64
  %66 = bitcast float* %65 to <8 x float>*
  %67 = load <8 x float>, <8 x float>* %66, align 4, !alias.scope !0, !noalias !3
  %68 = load <8 x float>, <8 x float>* %vred.j, align 32
  %69 = call reassoc arcp contract <8 x float> @llvm.maxnum.v8f32(<8 x float> %68, <8 x float> %67)
  store <8 x float> %69, <8 x float>* %vred.j, align 32
  %r.j.v.next = add nuw nsw i64 %r.j.v, 1
  br label %r.j.v.head

r.j.v.exit:                                       ; preds = %r.j.v.head
  %70 = load <8 x float>, <8 x float>* %vred.j, align 32
  %71 = call reassoc arcp contract float @llvm.vector.reduce.fmax.v8f32(<8 x float> %70)
  %72 = sub i64 %_b0, %57
  %73 = add nuw nsw i64 0, %72
  %74 = getelementptr inbounds float, float* %y.mx.slice, i64 %73
  store float %71, float* %74, align 4, !alias.scope !14, !noalias !15
  %_b0.i.next = add nuw nsw i64 %_b0.i, 1
  br label %_b0.i.head

_b0.i.head1:                                      ; preds = %n.v.exit, %_b0.i.exit
  %_b0.i4 = phi i64 [ 0, %_b0.i.exit ], [ %_b0.i.next6, %n.v.exit ]
  %75 = icmp slt i64 %_b0.i4, 2
  br i1 %75, label %_b0.i.body2, label %_b0.i.exit3

_b0.i.body2:                                      ; preds = %_b0.i.head1
  %76 = mul i64 %group0, 2
  %_b05 = add i64 %76, %_b0.i4
  br label %n.v.head

_b0.i.exit3:                                      ; preds = %_b0.i.head1
  br label %_b0.i.head7

n.v.head:                                         ; preds = %n.v.body, %_b0.i.body2
  %n.v = phi i64 [ 0, %_b0.i.body2 ], [ %n.v.next, %n.v.body ]
  %77 = icmp slt i64 %n.v, 2
  br i1 %77, label %n.v.body, label %n.v.exit

n.v.body:                                         ; preds = %n.v.head
  %78 = mul i64 %n.v, 8
  %79 = sub i64 %_b05, %57
  %80 = add nuw nsw i64 0, %79
  %81 = getelementptr inbounds float, float* %y.mx.slice, i64 %80
  %82 = load float, float* %81, align 4, !alias.scope !14, !noalias !15
  %.splatinsert = insertelement <8 x float> poison, float %82, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %83 = add nuw nsw i64 0, %_b05
  %84 = mul nuw nsw i64 %83, 16
  %85 = add nuw nsw i64 %84, %78
  %86 = getelementptr inbounds float, float* %x, i64 %85
  %87 = bitcast float* %86 to <8 x float>*
  %88 = load <8 x float>, <8 x float>* %87, align 4, !alias.scope !0, !noalias !3
  %89 = fsub reassoc arcp contract <8 x float> %88, %.splat
  %90 = fcmp ult <8 x float> %89, <float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02>
  %91 = select <8 x i1> %90, <8 x float> <float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02>, <8 x float> %89
  %92 = fcmp ogt <8 x float> %91, <float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02>
  %93 = select <8 x i1> %92, <8 x float> <float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02>, <8 x float> %91
  %94 = fmul <8 x float> %93, <float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000>
  %95 = call <8 x float> @llvm.rint.v8f32(<8 x float> %94)
  %96 = fneg <8 x float> %95
  %97 = call <8 x float> @llvm.fma.v8f32(<8 x float> %96, <8 x float> <float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000>, <8 x float> %93)
  %98 = call <8 x float> @llvm.fma.v8f32(<8 x float> %96, <8 x float> <float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000>, <8 x float> %97)
  %99 = call <8 x float> @llvm.fma.v8f32(<8 x float> <float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000>, <8 x float> %98, <8 x float> <float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000>)
  %100 = call <8 x float> @llvm.fma.v8f32(<8 x float> %99, <8 x float> %98, <8 x float> <float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000>)
  %101 = call <8 x float> @llvm.fma.v8f32(<8 x float> %100, <8 x float> %98, <8 x float> <float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000>)
  %102 = call <8 x float> @llvm.fma.v8f32(<8 x float> %101, <8 x float> %98, <8 x float> <float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000>)
  %103 = call <8 x float> @llvm.fma.v8f32(<8 x float> %102, <8 x float> %98, <8 x float> <float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00>)
  %104 = call <8 x float> @llvm.fma.v8f32(<8 x float> %103, <8 x float> %98, <8 x float> <float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00>)
  %105 = fptosi <8 x float> %95 to <8 x i32>
  %106 = ashr <8 x i32> %105, <i32 1, i32 1, i32 1, i32 1, i32 1, i32 1, i32 1, i32 1>
  %107 = sub <8 x i32> %105, %106
  %108 = add <8 x i32> %107, <i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127>
  %109 = shl <8 x i32> %108, <i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23>
  %110 = bitcast <8 x i32> %109 to <8 x float>
  %111 = add <8 x i32> %106, <i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127>
  %112 = shl <8 x i32> %111, <i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23>
  %113 = bitcast <8 x i32> %112 to <8 x float>
  %114 = fmul <8 x float> %104, %113
  %115 = fmul <8 x float> %114, %110
  %116 = fcmp uno <8 x float> %89, %89
  %117 = select <8 x i1> %116, <8 x float> %89, <8 x float> %115
  %118 = sub i64 %_b05, %57
  %119 = add nuw nsw i64 0, %118
  %120 = mul nuw nsw i64 %119, 16
  %121 = add nuw nsw i64 %120, %78
  %122 = getelementptr inbounds float, float* %y.e.slice, i64 %121
  %123 = bitcast float* %122 to <8 x float>*
  store <8 x float> %117, <8 x float>* %123, align 4, !alias.scope !16, !noalias !17
  %n.v.next = add nuw nsw i64 %n.v, 1
  br label %n.v.head

n.v.exit:                                         ; preds = %n.v.head
  %_b0.i.next6 = add nuw nsw i64 %_b0.i4, 1
  br label %_b0.i.head1

_b0.i.head7:                                      ; preds = %r.j.v.exit15, %_b0.i.exit3
  %_b0.i10 = phi i64 [ 0, %_b0.i.exit3 ], [ %_b0.i.next18, %r.j.v.exit15 ]
  %124 = icmp slt i64 %_b0.i10, 2
  br i1 %124, label %_b0.i.body8, label %_b0.i.exit9

_b0.i.body8:                                      ; preds = %_b0.i.head7
  %125 = mul i64 %group0, 2
  %_b011 = add i64 %125, %_b0.i10
  store <8 x float> zeroinitializer, <8 x float>* %vred.j12, align 32
  br label %r.j.v.head13

_b0.i.exit9:                                      ; preds = %_b0.i.head7
  br label %_b0.i.head19

r.j.v.head13:                                     ; preds = %r.j.v.body14, %_b0.i.body8
  %r.j.v16 = phi i64 [ 0, %_b0.i.body8 ], [ %r.j.v.next17, %r.j.v.body14 ]
  %126 = icmp slt i64 %r.j.v16, 2
  br i1 %126, label %r.j.v.body14, label %r.j.v.exit15

r.j.v.body14:                                     ; preds = %r.j.v.head13
  %127 = mul i64 %r.j.v16, 8
  %128 = sub i64 %_b011, %57
  %129 = add nuw nsw i64 0, %128
  %130 = mul nuw nsw i64 %129, 16
  %131 = add nuw nsw i64 %130, %127
  %132 = getelementptr inbounds float, float* %y.e.slice, i64 %131
  %133 = bitcast float* %132 to <8 x float>*
  %134 = load <8 x float>, <8 x float>* %133, align 4, !alias.scope !16, !noalias !17
  %135 = load <8 x float>, <8 x float>* %vred.j12, align 32
  %136 = fadd reassoc arcp contract <8 x float> %135, %134
  store <8 x float> %136, <8 x float>* %vred.j12, align 32
  %r.j.v.next17 = add nuw nsw i64 %r.j.v16, 1
  br label %r.j.v.head13

r.j.v.exit15:                                     ; preds = %r.j.v.head13
  %137 = load <8 x float>, <8 x float>* %vred.j12, align 32
  %138 = call reassoc arcp contract float @llvm.vector.reduce.fadd.v8f32(float 0.000000e+00, <8 x float> %137)
  %139 = sub i64 %_b011, %57
  %140 = add nuw nsw i64 0, %139
  %141 = getelementptr inbounds float, float* %y.s.slice, i64 %140
  store float %138, float* %141, align 4, !alias.scope !18, !noalias !19
  %_b0.i.next18 = add nuw nsw i64 %_b0.i10, 1
  br label %_b0.i.head7

_b0.i.head19:                                     ; preds = %n.v.exit26, %_b0.i.exit9
  %_b0.i22 = phi i64 [ 0, %_b0.i.exit9 ], [ %_b0.i.next31, %n.v.exit26 ]
  %142 = icmp slt i64 %_b0.i22, 2
  br i1 %142, label %_b0.i.body20, label %_b0.i.exit21

_b0.i.body20:                                     ; preds = %_b0.i.head19
  %143 = mul i64 %group0, 2
  %_b023 = add i64 %143, %_b0.i22
  br label %n.v.head24

_b0.i.exit21:                                     ; preds = %_b0.i.head19
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

n.v.head24:                                       ; preds = %n.v.body25, %_b0.i.body20
  %n.v27 = phi i64 [ 0, %_b0.i.body20 ], [ %n.v.next30, %n.v.body25 ]
  %144 = icmp slt i64 %n.v27, 2
  br i1 %144, label %n.v.body25, label %n.v.exit26

n.v.body25:                                       ; preds = %n.v.head24
  %145 = mul i64 %n.v27, 8
  %146 = sub i64 %_b023, %57
  %147 = add nuw nsw i64 0, %146
  %148 = getelementptr inbounds float, float* %y.s.slice, i64 %147
  %149 = load float, float* %148, align 4, !alias.scope !18, !noalias !19
  %.splatinsert28 = insertelement <8 x float> poison, float %149, i32 0
  %.splat29 = shufflevector <8 x float> %.splatinsert28, <8 x float> poison, <8 x i32> zeroinitializer
  %150 = sub i64 %_b023, %57
  %151 = add nuw nsw i64 0, %150
  %152 = mul nuw nsw i64 %151, 16
  %153 = add nuw nsw i64 %152, %145
  %154 = getelementptr inbounds float, float* %y.e.slice, i64 %153
  %155 = bitcast float* %154 to <8 x float>*
  %156 = load <8 x float>, <8 x float>* %155, align 4, !alias.scope !16, !noalias !17
  %157 = fdiv reassoc arcp contract <8 x float> %156, %.splat29
  %158 = add nuw nsw i64 0, %_b023
  %159 = mul nuw nsw i64 %158, 16
  %160 = add nuw nsw i64 %159, %145
  %161 = getelementptr inbounds float, float* %y, i64 %160
  %162 = bitcast float* %161 to <8 x float>*
  store <8 x float> %157, <8 x float>* %162, align 4, !alias.scope !20, !noalias !21
  %n.v.next30 = add nuw nsw i64 %n.v27, 1
  br label %n.v.head24

n.v.exit26:                                       ; preds = %n.v.head24
  %_b0.i.next31 = add nuw nsw i64 %_b0.i22, 1
  br label %_b0.i.head19
}

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare <8 x float> @llvm.maxnum.v8f32(<8 x float>, <8 x float>) #1

; Function Attrs: nofree nosync nounwind readnone willreturn
declare float @llvm.vector.reduce.fmax.v8f32(<8 x float>) #2

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare <8 x float> @llvm.rint.v8f32(<8 x float>) #1

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare <8 x float> @llvm.fma.v8f32(<8 x float>, <8 x float>, <8 x float>) #1

; Function Attrs: nofree nosync nounwind readnone willreturn
declare float @llvm.vector.reduce.fadd.v8f32(float, <8 x float>) #2

declare i32 @pthread_create(i64*, i8*, i8* (i8*)*, i8*)

declare i32 @pthread_join(i64, i8**)

attributes #0 = { nounwind }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { nofree nosync nounwind readnone willreturn }

!0 = !{!1}
!1 = distinct !{!1, !2, !"x"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6, !7, !8, !9, !10, !11, !12, !13}
!4 = distinct !{!4, !2, !"x.pack"}
!5 = distinct !{!5, !2, !"y"}
!6 = distinct !{!6, !2, !"y.pack"}
!7 = distinct !{!7, !2, !"y.mx"}
!8 = distinct !{!8, !2, !"y.mx.pack"}
!9 = distinct !{!9, !2, !"y.e"}
!10 = distinct !{!10, !2, !"y.e.pack"}
!11 = distinct !{!11, !2, !"y.s"}
!12 = distinct !{!12, !2, !"y.s.pack"}
!13 = distinct !{!13, !2, !"axon.scratch"}
!14 = !{!7}
!15 = !{!1, !4, !5, !6, !8, !9, !10, !11, !12, !13}
!16 = !{!9}
!17 = !{!1, !4, !5, !6, !7, !8, !10, !11, !12, !13}
!18 = !{!11}
!19 = !{!1, !4, !5, !6, !7, !8, !9, !10, !12, !13}
!20 = !{!5}
!21 = !{!1, !4, !6, !7, !8, !9, !10, !11, !12, !13}
