; ModuleID = 'softmax_group_ragged'
source_filename = "softmax_group_ragged"

; Function Attrs: nounwind
define void @softmax_group_ragged(i8** noalias %buffers) #0 {
entry:
  %vred.j16 = alloca <8 x float>, align 32
  %vred.j = alloca <8 x float>, align 32
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
  %6 = getelementptr inbounds i8, i8* %axon.scratch, i64 0
  %7 = ptrtoint i8* %6 to i64
  %8 = add i64 %7, 4095
  %9 = and i64 %8, -4096
  %10 = sub i64 %9, %7
  %11 = add i64 %10, 2048
  %12 = getelementptr inbounds i8, i8* %6, i64 %11
  %y.mx.slice = bitcast i8* %12 to float*
  %13 = getelementptr inbounds i8, i8* %axon.scratch, i64 6208
  %14 = ptrtoint i8* %13 to i64
  %15 = add i64 %14, 4095
  %16 = and i64 %15, -4096
  %17 = sub i64 %16, %14
  %18 = add i64 %17, 2112
  %19 = getelementptr inbounds i8, i8* %13, i64 %18
  %y.e.slice = bitcast i8* %19 to float*
  %20 = getelementptr inbounds i8, i8* %axon.scratch, i64 12672
  %21 = ptrtoint i8* %20 to i64
  %22 = add i64 %21, 4095
  %23 = and i64 %22, -4096
  %24 = sub i64 %23, %21
  %25 = add i64 %24, 2176
  %26 = getelementptr inbounds i8, i8* %20, i64 %25
  %y.s.slice = bitcast i8* %26 to float*
  br label %group0.head

group0.head:                                      ; preds = %_b0.i.exit25, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %_b0.i.exit25 ]
  %27 = icmp slt i64 %group0, 2
  br i1 %27, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  %28 = mul i64 %group0, 4
  br label %_b0.i.head

group0.exit:                                      ; preds = %group0.head
  ret void

_b0.i.head:                                       ; preds = %guard.done, %group0.body
  %_b0.i = phi i64 [ 0, %group0.body ], [ %_b0.i.next, %guard.done ]
  %29 = icmp slt i64 %_b0.i, 4
  br i1 %29, label %_b0.i.body, label %_b0.i.exit

_b0.i.body:                                       ; preds = %_b0.i.head
  %30 = mul i64 %group0, 4
  %_b0 = add i64 %30, %_b0.i
  %31 = icmp slt i64 %_b0, 6
  br i1 %31, label %guard.in, label %guard.done

_b0.i.exit:                                       ; preds = %_b0.i.head
  br label %_b0.i.head1

guard.in:                                         ; preds = %_b0.i.body
  store <8 x float> <float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000>, <8 x float>* %vred.j, align 32
  br label %r.j.v.head

guard.done:                                       ; preds = %r.j.v.exit, %_b0.i.body
  %_b0.i.next = add nuw nsw i64 %_b0.i, 1
  br label %_b0.i.head

r.j.v.head:                                       ; preds = %r.j.v.body, %guard.in
  %r.j.v = phi i64 [ 0, %guard.in ], [ %r.j.v.next, %r.j.v.body ]
  %32 = icmp slt i64 %r.j.v, 2
  br i1 %32, label %r.j.v.body, label %r.j.v.exit

r.j.v.body:                                       ; preds = %r.j.v.head
  %33 = mul i64 %r.j.v, 8
  %34 = add nuw nsw i64 0, %_b0
  %35 = mul nuw nsw i64 %34, 16
  %36 = add nuw nsw i64 %35, %33
  %37 = getelementptr inbounds float, float* %x, i64 %36
  %38 = bitcast float* %37 to <8 x float>*
  %39 = load <8 x float>, <8 x float>* %38, align 4, !alias.scope !0, !noalias !3
  %40 = load <8 x float>, <8 x float>* %vred.j, align 32
  %41 = call reassoc arcp contract <8 x float> @llvm.maxnum.v8f32(<8 x float> %40, <8 x float> %39)
  store <8 x float> %41, <8 x float>* %vred.j, align 32
  %r.j.v.next = add nuw nsw i64 %r.j.v, 1
  br label %r.j.v.head

r.j.v.exit:                                       ; preds = %r.j.v.head
  %42 = load <8 x float>, <8 x float>* %vred.j, align 32
  %43 = call reassoc arcp contract float @llvm.vector.reduce.fmax.v8f32(<8 x float> %42)
  %44 = sub i64 %_b0, %28
  %45 = add nuw nsw i64 0, %44
  %46 = getelementptr inbounds float, float* %y.mx.slice, i64 %45
  store float %43, float* %46, align 4, !alias.scope !14, !noalias !15
  br label %guard.done

_b0.i.head1:                                      ; preds = %n.v.exit, %_b0.i.exit
  %_b0.i4 = phi i64 [ 0, %_b0.i.exit ], [ %_b0.i.next8, %n.v.exit ]
  %47 = icmp slt i64 %_b0.i4, 4
  br i1 %47, label %_b0.i.body2, label %_b0.i.exit3

_b0.i.body2:                                      ; preds = %_b0.i.head1
  %48 = mul i64 %group0, 4
  %_b05 = add i64 %48, %_b0.i4
  br label %n.v.head

_b0.i.exit3:                                      ; preds = %_b0.i.head1
  br label %_b0.i.head9

n.v.head:                                         ; preds = %guard.done7, %_b0.i.body2
  %n.v = phi i64 [ 0, %_b0.i.body2 ], [ %n.v.next, %guard.done7 ]
  %49 = icmp slt i64 %n.v, 2
  br i1 %49, label %n.v.body, label %n.v.exit

n.v.body:                                         ; preds = %n.v.head
  %50 = mul i64 %n.v, 8
  %51 = icmp slt i64 %_b05, 6
  br i1 %51, label %guard.in6, label %guard.done7

n.v.exit:                                         ; preds = %n.v.head
  %_b0.i.next8 = add nuw nsw i64 %_b0.i4, 1
  br label %_b0.i.head1

guard.in6:                                        ; preds = %n.v.body
  %52 = sub i64 %_b05, %28
  %53 = add nuw nsw i64 0, %52
  %54 = getelementptr inbounds float, float* %y.mx.slice, i64 %53
  %55 = load float, float* %54, align 4, !alias.scope !14, !noalias !15
  %.splatinsert = insertelement <8 x float> poison, float %55, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %56 = add nuw nsw i64 0, %_b05
  %57 = mul nuw nsw i64 %56, 16
  %58 = add nuw nsw i64 %57, %50
  %59 = getelementptr inbounds float, float* %x, i64 %58
  %60 = bitcast float* %59 to <8 x float>*
  %61 = load <8 x float>, <8 x float>* %60, align 4, !alias.scope !0, !noalias !3
  %62 = fsub reassoc arcp contract <8 x float> %61, %.splat
  %63 = fcmp ult <8 x float> %62, <float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02>
  %64 = select <8 x i1> %63, <8 x float> <float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02>, <8 x float> %62
  %65 = fcmp ogt <8 x float> %64, <float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02>
  %66 = select <8 x i1> %65, <8 x float> <float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02>, <8 x float> %64
  %67 = fmul <8 x float> %66, <float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000>
  %68 = call <8 x float> @llvm.rint.v8f32(<8 x float> %67)
  %69 = fneg <8 x float> %68
  %70 = call <8 x float> @llvm.fma.v8f32(<8 x float> %69, <8 x float> <float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000>, <8 x float> %66)
  %71 = call <8 x float> @llvm.fma.v8f32(<8 x float> %69, <8 x float> <float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000>, <8 x float> %70)
  %72 = call <8 x float> @llvm.fma.v8f32(<8 x float> <float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000>, <8 x float> %71, <8 x float> <float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000>)
  %73 = call <8 x float> @llvm.fma.v8f32(<8 x float> %72, <8 x float> %71, <8 x float> <float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000>)
  %74 = call <8 x float> @llvm.fma.v8f32(<8 x float> %73, <8 x float> %71, <8 x float> <float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000>)
  %75 = call <8 x float> @llvm.fma.v8f32(<8 x float> %74, <8 x float> %71, <8 x float> <float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000>)
  %76 = call <8 x float> @llvm.fma.v8f32(<8 x float> %75, <8 x float> %71, <8 x float> <float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00>)
  %77 = call <8 x float> @llvm.fma.v8f32(<8 x float> %76, <8 x float> %71, <8 x float> <float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00>)
  %78 = fptosi <8 x float> %68 to <8 x i32>
  %79 = ashr <8 x i32> %78, <i32 1, i32 1, i32 1, i32 1, i32 1, i32 1, i32 1, i32 1>
  %80 = sub <8 x i32> %78, %79
  %81 = add <8 x i32> %80, <i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127>
  %82 = shl <8 x i32> %81, <i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23>
  %83 = bitcast <8 x i32> %82 to <8 x float>
  %84 = add <8 x i32> %79, <i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127>
  %85 = shl <8 x i32> %84, <i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23>
  %86 = bitcast <8 x i32> %85 to <8 x float>
  %87 = fmul <8 x float> %77, %86
  %88 = fmul <8 x float> %87, %83
  %89 = fcmp uno <8 x float> %62, %62
  %90 = select <8 x i1> %89, <8 x float> %62, <8 x float> %88
  %91 = sub i64 %_b05, %28
  %92 = add nuw nsw i64 0, %91
  %93 = mul nuw nsw i64 %92, 16
  %94 = add nuw nsw i64 %93, %50
  %95 = getelementptr inbounds float, float* %y.e.slice, i64 %94
  %96 = bitcast float* %95 to <8 x float>*
  store <8 x float> %90, <8 x float>* %96, align 4, !alias.scope !16, !noalias !17
  br label %guard.done7

guard.done7:                                      ; preds = %guard.in6, %n.v.body
  %n.v.next = add nuw nsw i64 %n.v, 1
  br label %n.v.head

_b0.i.head9:                                      ; preds = %guard.done15, %_b0.i.exit3
  %_b0.i12 = phi i64 [ 0, %_b0.i.exit3 ], [ %_b0.i.next22, %guard.done15 ]
  %97 = icmp slt i64 %_b0.i12, 4
  br i1 %97, label %_b0.i.body10, label %_b0.i.exit11

_b0.i.body10:                                     ; preds = %_b0.i.head9
  %98 = mul i64 %group0, 4
  %_b013 = add i64 %98, %_b0.i12
  %99 = icmp slt i64 %_b013, 6
  br i1 %99, label %guard.in14, label %guard.done15

_b0.i.exit11:                                     ; preds = %_b0.i.head9
  br label %_b0.i.head23

guard.in14:                                       ; preds = %_b0.i.body10
  store <8 x float> zeroinitializer, <8 x float>* %vred.j16, align 32
  br label %r.j.v.head17

guard.done15:                                     ; preds = %r.j.v.exit19, %_b0.i.body10
  %_b0.i.next22 = add nuw nsw i64 %_b0.i12, 1
  br label %_b0.i.head9

r.j.v.head17:                                     ; preds = %r.j.v.body18, %guard.in14
  %r.j.v20 = phi i64 [ 0, %guard.in14 ], [ %r.j.v.next21, %r.j.v.body18 ]
  %100 = icmp slt i64 %r.j.v20, 2
  br i1 %100, label %r.j.v.body18, label %r.j.v.exit19

r.j.v.body18:                                     ; preds = %r.j.v.head17
  %101 = mul i64 %r.j.v20, 8
  %102 = sub i64 %_b013, %28
  %103 = add nuw nsw i64 0, %102
  %104 = mul nuw nsw i64 %103, 16
  %105 = add nuw nsw i64 %104, %101
  %106 = getelementptr inbounds float, float* %y.e.slice, i64 %105
  %107 = bitcast float* %106 to <8 x float>*
  %108 = load <8 x float>, <8 x float>* %107, align 4, !alias.scope !16, !noalias !17
  %109 = load <8 x float>, <8 x float>* %vred.j16, align 32
  %110 = fadd reassoc arcp contract <8 x float> %109, %108
  store <8 x float> %110, <8 x float>* %vred.j16, align 32
  %r.j.v.next21 = add nuw nsw i64 %r.j.v20, 1
  br label %r.j.v.head17

r.j.v.exit19:                                     ; preds = %r.j.v.head17
  %111 = load <8 x float>, <8 x float>* %vred.j16, align 32
  %112 = call reassoc arcp contract float @llvm.vector.reduce.fadd.v8f32(float 0.000000e+00, <8 x float> %111)
  %113 = sub i64 %_b013, %28
  %114 = add nuw nsw i64 0, %113
  %115 = getelementptr inbounds float, float* %y.s.slice, i64 %114
  store float %112, float* %115, align 4, !alias.scope !18, !noalias !19
  br label %guard.done15

_b0.i.head23:                                     ; preds = %n.v.exit30, %_b0.i.exit11
  %_b0.i26 = phi i64 [ 0, %_b0.i.exit11 ], [ %_b0.i.next37, %n.v.exit30 ]
  %116 = icmp slt i64 %_b0.i26, 4
  br i1 %116, label %_b0.i.body24, label %_b0.i.exit25

_b0.i.body24:                                     ; preds = %_b0.i.head23
  %117 = mul i64 %group0, 4
  %_b027 = add i64 %117, %_b0.i26
  br label %n.v.head28

_b0.i.exit25:                                     ; preds = %_b0.i.head23
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

n.v.head28:                                       ; preds = %guard.done33, %_b0.i.body24
  %n.v31 = phi i64 [ 0, %_b0.i.body24 ], [ %n.v.next36, %guard.done33 ]
  %118 = icmp slt i64 %n.v31, 2
  br i1 %118, label %n.v.body29, label %n.v.exit30

n.v.body29:                                       ; preds = %n.v.head28
  %119 = mul i64 %n.v31, 8
  %120 = icmp slt i64 %_b027, 6
  br i1 %120, label %guard.in32, label %guard.done33

n.v.exit30:                                       ; preds = %n.v.head28
  %_b0.i.next37 = add nuw nsw i64 %_b0.i26, 1
  br label %_b0.i.head23

guard.in32:                                       ; preds = %n.v.body29
  %121 = sub i64 %_b027, %28
  %122 = add nuw nsw i64 0, %121
  %123 = getelementptr inbounds float, float* %y.s.slice, i64 %122
  %124 = load float, float* %123, align 4, !alias.scope !18, !noalias !19
  %.splatinsert34 = insertelement <8 x float> poison, float %124, i32 0
  %.splat35 = shufflevector <8 x float> %.splatinsert34, <8 x float> poison, <8 x i32> zeroinitializer
  %125 = sub i64 %_b027, %28
  %126 = add nuw nsw i64 0, %125
  %127 = mul nuw nsw i64 %126, 16
  %128 = add nuw nsw i64 %127, %119
  %129 = getelementptr inbounds float, float* %y.e.slice, i64 %128
  %130 = bitcast float* %129 to <8 x float>*
  %131 = load <8 x float>, <8 x float>* %130, align 4, !alias.scope !16, !noalias !17
  %132 = fdiv reassoc arcp contract <8 x float> %131, %.splat35
  %133 = add nuw nsw i64 0, %_b027
  %134 = mul nuw nsw i64 %133, 16
  %135 = add nuw nsw i64 %134, %119
  %136 = getelementptr inbounds float, float* %y, i64 %135
  %137 = bitcast float* %136 to <8 x float>*
  store <8 x float> %132, <8 x float>* %137, align 4, !alias.scope !20, !noalias !21
  br label %guard.done33

guard.done33:                                     ; preds = %guard.in32, %n.v.body29
  %n.v.next36 = add nuw nsw i64 %n.v31, 1
  br label %n.v.head28
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
