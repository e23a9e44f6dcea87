; ModuleID = 'softmax_group_ragged'
source_filename = "softmax_group_ragged"

; Function Attrs: nounwind
define void @softmax_group_ragged(i8** noalias %buffers) #0 {
entry:
  %vred.j12 = alloca <8 x float>, align 32
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

group0.head:                                      ; preds = %_b0.i.exit21, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %_b0.i.exit21 ]
  %27 = icmp slt i64 %group0, 2
  br i1 %27, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  %28 = mul i64 %group0, 4
  br label %_b0.i.head

group0.exit:                                      ; preds = %group0.head
  ret void

_b0.i.head:                                       ; preds = %r.j.v.exit, %group0.body
  %_b0.i = phi i64 [ 0, %group0.body ], [ %_b0.i.next, %r.j.v.exit ]
  %29 = icmp slt i64 %_b0.i, 4
  br i1 %29, label %_b0.i.body, label %_b0.i.exit

_b0.i.body:                                       ; preds = %_b0.i.head
  %30 = mul i64 %group0, 4
  %_b0 = add i64 %30, %_b0.i
  store <8 x float> <float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000>, <8 x float>* %vred.j, align 32
  br label %r.j.v.head

_b0.i.exit:                                       ; preds = %_b0.i.head
  br label %_b0.i.head1

r.j.v.head:                                       ; preds = %r.j.v.body, %_b0.i.body
  %r.j.v = phi i64 [ 0, %_b0.i.body ], [ %r.j.v.next, %r.j.v.body ]
  %31 = icmp slt i64 %r.j.v, 2
  br i1 %31, label %r.j.v.body, label %r.j.v.exit

r.j.v.body:                                       ; preds = %r.j.v.head
  %32 = mul i64 %r.j.v, 8
  %33 = add nuw nsw i64 0, %_b0
  %34 = mul nuw nsw i64 %33, 16
  %35 = add nuw nsw i64 %34, %32
  %36 = getelementptr inbounds float, float* %x, i64 %35
  %37 = bitcast float* %36 to <8 x float>*
  %38 = load <8 x float>, <8 x float>* %37, align 4, !alias.scope !0, !noalias !3
  %39 = load <8 x float>, <8 x float>* %vred.j, align 32
  %40 = call reassoc arcp contract <8 x float> @llvm.maxnum.v8f32(<8 x float> %39, <8 x float> %38)
  store <8 x float> %40, <8 x float>* %vred.j, align 32
  %r.j.v.next = add nuw nsw i64 %r.j.v, 1
  br label %r.j.v.head

r.j.v.exit:                                       ; preds = %r.j.v.head
  %41 = load <8 x float>, <8 x float>* %vred.j, align 32
  %42 = call reassoc arcp contract float @llvm.vector.reduce.fmax.v8f32(<8 x float> %41)
  %43 = sub i64 %_b0, %28
  %44 = add nuw nsw i64 0, %43
  %45 = getelementptr inbounds float, float* %y.mx.slice, i64 %44
  store float %42, float* %45, align 4, !alias.scope !14, !noalias !15
  %_b0.i.next = add nuw nsw i64 %_b0.i, 1
  br label %_b0.i.head

_b0.i.head1:                                      ; preds = %n.v.exit, %_b0.i.exit
  %_b0.i4 = phi i64 [ 0, %_b0.i.exit ], [ %_b0.i.next6, %n.v.exit ]
  %46 = icmp slt i64 %_b0.i4, 4
  br i1 %46, label %_b0.i.body2, label %_b0.i.exit3

_b0.i.body2:                                      ; preds = %_b0.i.head1
  %47 = mul i64 %group0, 4
  %_b05 = add i64 %47, %_b0.i4
  br label %n.v.head

_b0.i.exit3:                                      ; preds = %_b0.i.head1
  br label %_b0.i.head7

n.v.head:                                         ; preds = %n.v.body, %_b0.i.body2
  %n.v = phi i64 [ 0, %_b0.i.body2 ], [ %n.v.next, %n.v.body ]
  %48 = icmp slt i64 %n.v, 2
  br i1 %48, label %n.v.body, label %n.v.exit

n.v.body:                                         ; preds = %n.v.head
  %49 = mul i64 %n.v, 8
  %50 = sub i64 %_b05, %28
  %51 = add nuw nsw i64 0, %50
  %52 = getelementptr inbounds float, float* %y.mx.slice, i64 %51
  %53 = load float, float* %52, align 4, !alias.scope !14, !noalias !15
  %.splatinsert = insertelement <8 x float> poison, float %53, i32 0
  %.splat = shufflevector <8 x float> %.splatinsert, <8 x float> poison, <8 x i32> zeroinitializer
  %54 = add nuw nsw i64 0, %_b05
  %55 = mul nuw nsw i64 %54, 16
  %56 = add nuw nsw i64 %55, %49
  %57 = getelementptr inbounds float, float* %x, i64 %56
  %58 = bitcast float* %57 to <8 x float>*
  %59 = load <8 x float>, <8 x float>* %58, align 4, !alias.scope !0, !noalias !3
  %60 = fsub reassoc arcp contract <8 x float> %59, %.splat
  %61 = fcmp ult <8 x float> %60, <float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02>
  %62 = select <8 x i1> %61, <8 x float> <float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02, float -1.740000e+02>, <8 x float> %60
  %63 = fcmp ogt <8 x float> %62, <float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02>
  %64 = select <8 x i1> %63, <8 x float> <float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02, float 1.750000e+02>, <8 x float> %62
  %65 = fmul <8 x float> %64, <float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000, float 0x3FF7154760000000>
  %66 = call <8 x float> @llvm.rint.v8f32(<8 x float> %65)
  %67 = fneg <8 x float> %66
  %68 = call <8 x float> @llvm.fma.v8f32(<8 x float> %67, <8 x float> <float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000, float 0x3FE62E4300000000>, <8 x float> %64)
  %69 = call <8 x float> @llvm.fma.v8f32(<8 x float> %67, <8 x float> <float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000, float 0xBE205C6100000000>, <8 x float> %68)
  %70 = call <8 x float> @llvm.fma.v8f32(<8 x float> <float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000, float 0x3F56A244C0000000>, <8 x float> %69, <8 x float> <float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000, float 0x3F81239D40000000>)
  %71 = call <8 x float> @llvm.fma.v8f32(<8 x float> %70, <8 x float> %69, <8 x float> <float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000, float 0x3FA5558F20000000>)
  %72 = call <8 x float> @llvm.fma.v8f32(<8 x float> %71, <8 x float> %69, <8 x float> <float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000, float 0x3FC5554920000000>)
  %73 = call <8 x float> @llvm.fma.v8f32(<8 x float> %72, <8 x float> %69, <8 x float> <float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000, float 0x3FDFFFFFC0000000>)
  %74 = call <8 x float> @llvm.fma.v8f32(<8 x float> %73, <8 x float> %69, <8 x float> <float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00>)
  %75 = call <8 x float> @llvm.fma.v8f32(<8 x float> %74, <8 x float> %69, <8 x float> <float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00>)
  %76 = fptosi <8 x float> %66 to <8 x i32>
  %77 = ashr <8 x i32> %76, <i32 1, i32 1, i32 1, i32 1, i32 1, i32 1, i32 1, i32 1>
  %78 = sub <8 x i32> %76, %77
  %79 = add <8 x i32> %78, <i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127>
  %80 = shl <8 x i32> %79, <i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23>
  %81 = bitcast <8 x i32> %80 to <8 x float>
  %82 = add <8 x i32> %77, <i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127, i32 127>
  %83 = shl <8 x i32> %82, <i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23, i32 23>
  %84 = bitcast <8 x i32> %83 to <8 x float>
  %85 = fmul <8 x float> %75, %84
  %86 = fmul <8 x float> %85, %81
  %87 = fcmp uno <8 x float> %60, %60
  %88 = select <8 x i1> %87, <8 x float> %60, <8 x float> %86
  %89 = sub i64 %_b05, %28
  %90 = add nuw nsw i64 0, %89
  %91 = mul nuw nsw i64 %90, 16
  %92 = add nuw nsw i64 %91, %49
  %93 = getelementptr inbounds float, float* %y.e.slice, i64 %92
  %94 = bitcast float* %93 to <8 x float>*
  store <8 x float> %88, <8 x float>* %94, align 4, !alias.scope !16, !noalias !17
  %n.v.next = add nuw nsw i64 %n.v, 1
  br label %n.v.head

n.v.exit:                                         ; preds = %n.v.head
  %_b0.i.next6 = add nuw nsw i64 %_b0.i4, 1
  br label %_b0.i.head1

_b0.i.head7:                                      ; preds = %r.j.v.exit15, %_b0.i.exit3
  %_b0.i10 = phi i64 [ 0, %_b0.i.exit3 ], [ %_b0.i.next18, %r.j.v.exit15 ]
  %95 = icmp slt i64 %_b0.i10, 4
  br i1 %95, label %_b0.i.body8, label %_b0.i.exit9

_b0.i.body8:                                      ; preds = %_b0.i.head7
  %96 = mul i64 %group0, 4
  %_b011 = add i64 %96, %_b0.i10
  store <8 x float> zeroinitializer, <8 x float>* %vred.j12, align 32
  br label %r.j.v.head13

_b0.i.exit9:                                      ; preds = %_b0.i.head7
  br label %_b0.i.head19

r.j.v.head13:                                     ; preds = %r.j.v.body14, %_b0.i.body8
  %r.j.v16 = phi i64 [ 0, %_b0.i.body8 ], [ %r.j.v.next17, %r.j.v.body14 ]
  %97 = icmp slt i64 %r.j.v16, 2
  br i1 %97, label %r.j.v.body14, label %r.j.v.exit15

r.j.v.body14:                                     ; preds = %r.j.v.head13
  %98 = mul i64 %r.j.v16, 8
  %99 = sub i64 %_b011, %28
  %100 = add nuw nsw i64 0, %99
  %101 = mul nuw nsw i64 %100, 16
  %102 = add nuw nsw i64 %101, %98
  %103 = getelementptr inbounds float, float* %y.e.slice, i64 %102
  %104 = bitcast float* %103 to <8 x float>*
  %105 = load <8 x float>, <8 x float>* %104, align 4, !alias.scope !16, !noalias !17
  %106 = load <8 x float>, <8 x float>* %vred.j12, align 32
  %107 = fadd reassoc arcp contract <8 x float> %106, %105
  store <8 x float> %107, <8 x float>* %vred.j12, align 32
  %r.j.v.next17 = add nuw nsw i64 %r.j.v16, 1
  br label %r.j.v.head13

r.j.v.exit15:                                     ; preds = %r.j.v.head13
  %108 = load <8 x float>, <8 x float>* %vred.j12, align 32
  %109 = call reassoc arcp contract float @llvm.vector.reduce.fadd.v8f32(float 0.000000e+00, <8 x float> %108)
  %110 = sub i64 %_b011, %28
  %111 = add nuw nsw i64 0, %110
  %112 = getelementptr inbounds float, float* %y.s.slice, i64 %111
  store float %109, float* %112, align 4, !alias.scope !18, !noalias !19
  %_b0.i.next18 = add nuw nsw i64 %_b0.i10, 1
  br label %_b0.i.head7

_b0.i.head19:                                     ; preds = %n.v.exit26, %_b0.i.exit9
  %_b0.i22 = phi i64 [ 0, %_b0.i.exit9 ], [ %_b0.i.next31, %n.v.exit26 ]
  %113 = icmp slt i64 %_b0.i22, 4
  br i1 %113, label %_b0.i.body20, label %_b0.i.exit21

_b0.i.body20:                                     ; preds = %_b0.i.head19
  %114 = mul i64 %group0, 4
  %_b023 = add i64 %114, %_b0.i22
  br label %n.v.head24

_b0.i.exit21:                                     ; preds = %_b0.i.head19
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

n.v.head24:                                       ; preds = %guard.done, %_b0.i.body20
  %n.v27 = phi i64 [ 0, %_b0.i.body20 ], [ %n.v.next30, %guard.done ]
  %115 = icmp slt i64 %n.v27, 2
  br i1 %115, label %n.v.body25, label %n.v.exit26

n.v.body25:                                       ; preds = %n.v.head24
  %116 = mul i64 %n.v27, 8
  %117 = icmp slt i64 %_b023, 6
  br i1 %117, label %guard.in, label %guard.done

n.v.exit26:                                       ; preds = %n.v.head24
  %_b0.i.next31 = add nuw nsw i64 %_b0.i22, 1
  br label %_b0.i.head19

guard.in:                                         ; preds = %n.v.body25
  %118 = sub i64 %_b023, %28
  %119 = add nuw nsw i64 0, %118
  %120 = getelementptr inbounds float, float* %y.s.slice, i64 %119
  %121 = load float, float* %120, align 4, !alias.scope !18, !noalias !19
  %.splatinsert28 = insertelement <8 x float> poison, float %121, i32 0
  %.splat29 = shufflevector <8 x float> %.splatinsert28, <8 x float> poison, <8 x i32> zeroinitializer
  %122 = sub i64 %_b023, %28
  %123 = add nuw nsw i64 0, %122
  %124 = mul nuw nsw i64 %123, 16
  %125 = add nuw nsw i64 %124, %116
  %126 = getelementptr inbounds float, float* %y.e.slice, i64 %125
  %127 = bitcast float* %126 to <8 x float>*
  %128 = load <8 x float>, <8 x float>* %127, align 4, !alias.scope !16, !noalias !17
  %129 = fdiv reassoc arcp contract <8 x float> %128, %.splat29
  %130 = add nuw nsw i64 0, %_b023
  %131 = mul nuw nsw i64 %130, 16
  %132 = add nuw nsw i64 %131, %116
  %133 = getelementptr inbounds float, float* %y, i64 %132
  %134 = bitcast float* %133 to <8 x float>*
  store <8 x float> %129, <8 x float>* %134, align 4, !alias.scope !20, !noalias !21
  br label %guard.done

guard.done:                                       ; preds = %guard.in, %n.v.body25
  %n.v.next30 = add nuw nsw i64 %n.v27, 1
  br label %n.v.head24
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
