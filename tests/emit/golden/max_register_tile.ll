; ModuleID = 'max_register_tile'
source_filename = "max_register_tile"

; Function Attrs: nounwind
define void @max_register_tile(i8** noalias %buffers) #0 {
entry:
  %tile = alloca <8 x float>, align 32
  %tile2 = alloca <8 x float>, align 32
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %x.raw = load i8*, i8** %0, align 8
  %x = bitcast i8* %x.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %y.raw = load i8*, i8** %1, align 8
  %y = bitcast i8* %y.raw to float*
  br label %group0.head

group0.head:                                      ; preds = %r1.exit, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %r1.exit ]
  %2 = icmp slt i64 %group0, 1
  br i1 %2, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  %3 = mul i64 %group0, 16
  %4 = mul i64 %group0, 16
  %i0 = add i64 %4, 0
  store <8 x float> <float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000>, <8 x float>* %tile, align 32
  %5 = mul i64 %group0, 16
  %i01 = add i64 %5, 8
  store <8 x float> <float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000, float 0xFFF0000000000000>, <8 x float>* %tile2, align 32
  br label %r1.head

group0.exit:                                      ; preds = %group0.head
  ret void

r1.head:                                          ; preds = %r1.body, %group0.body
  %r1 = phi i64 [ 0, %group0.body ], [ %r1.next, %r1.body ]
  %6 = icmp slt i64 %r1, 12
  br i1 %6, label %r1.body, label %r1.exit

r1.body:                                          ; preds = %r1.head
  %7 = mul i64 %group0, 16
  %i03 = add i64 %7, 0
  %8 = add i64 %i03, 0
  %9 = add nuw nsw i64 0, %8
  %10 = mul nuw nsw i64 %9, 12
  %11 = add nuw nsw i64 %10, %r1
  %12 = getelementptr inbounds float, float* %x, i64 %11
  %13 = load float, float* %12, align 4, !alias.scope !0, !noalias !3
  %14 = insertelement <8 x float> undef, float %13, i64 0
  %15 = add i64 %i03, 1
  %16 = add nuw nsw i64 0, %15
  %17 = mul nuw nsw i64 %16, 12
  %18 = add nuw nsw i64 %17, %r1
  %19 = getelementptr inbounds float, float* %x, i64 %18
  %20 = load float, float* %19, align 4, !alias.scope !0, !noalias !3
  %21 = insertelement <8 x float> %14, float %20, i64 1
  %22 = add i64 %i03, 2
  %23 = add nuw nsw i64 0, %22
  %24 = mul nuw nsw i64 %23, 12
  %25 = add nuw nsw i64 %24, %r1
  %26 = getelementptr inbounds float, float* %x, i64 %25
  %27 = load float, float* %26, align 4, !alias.scope !0, !noalias !3
  %28 = insertelement <8 x float> %21, float %27, i64 2
  %29 = add i64 %i03, 3
  %30 = add nuw nsw i64 0, %29
  %31 = mul nuw nsw i64 %30, 12
  %32 = add nuw nsw i64 %31, %r1
  %33 = getelementptr inbounds float, float* %x, i64 %32
  %34 = load float, float* %33, align 4, !alias.scope !0, !noalias !3
  %35 = insertelement <8 x float> %28, float %34, i64 3
  %36 = add i64 %i03, 4
  %37 = add nuw nsw i64 0, %36
  %38 = mul nuw nsw i64 %37, 12
  %39 = add nuw nsw i64 %38, %r1
  %40 = getelementptr inbounds float, float* %x, i64 %39
  %41 = load float, float* %40, align 4, !alias.scope !0, !noalias !3
  %42 = insertelement <8 x float> %35, float %41, i64 4
  %43 = add i64 %i03, 5
  %44 = add nuw nsw i64 0, %43
  %45 = mul nuw nsw i64 %44, 12
  %46 = add nuw nsw i64 %45, %r1
  %47 = getelementptr inbounds float, float* %x, i64 %46
  %48 = load float, float* %47, align 4, !alias.scope !0, !noalias !3
  %49 = insertelement <8 x float> %42, float %48, i64 5
  %50 = add i64 %i03, 6
  %51 = add nuw nsw i64 0, %50
  %52 = mul nuw nsw i64 %51, 12
  %53 = add nuw nsw i64 %52, %r1
  %54 = getelementptr inbounds float, float* %x, i64 %53
  %55 = load float, float* %54, align 4, !alias.scope !0, !noalias !3
  %56 = insertelement <8 x float> %49, float %55, i64 6
  %57 = add i64 %i03, 7
  %58 = add nuw nsw i64 0, %57
  %59 = mul nuw nsw i64 %58, 12
  %60 = add nuw nsw i64 %59, %r1
  %61 = getelementptr inbounds float, float* %x, i64 %60
  %62 = load float, float* %61, align 4, !alias.scope !0, !noalias !3
  %63 = insertelement <8 x float> %56, float %62, i64 7
  %64 = load <8 x float>, <8 x float>* %tile, align 32
  %65 = call reassoc arcp contract <8 x float> @llvm.maxnum.v8f32(<8 x float> %64, <8 x float> %63)
  store <8 x float> %65, <8 x float>* %tile, align 32
  %66 = mul i64 %group0, 16
  %i04 = add i64 %66, 8
  %67 = add i64 %i04, 0
  %68 = add nuw nsw i64 0, %67
  %69 = mul nuw nsw i64 %68, 12
  %70 = add nuw nsw i64 %69, %r1
  %71 = getelementptr inbounds float, float* %x, i64 %70
  %72 = load float, float* %71, align 4, !alias.scope !0, !noalias !3
  %73 = insertelement <8 x float> undef, float %72, i64 0
  %74 = add i64 %i04, 1
  %75 = add nuw nsw i64 0, %74
  %76 = mul nuw nsw i64 %75, 12
  %77 = add nuw nsw i64 %76, %r1
  %78 = getelementptr inbounds float, float* %x, i64 %77
  %79 = load float, float* %78, align 4, !alias.scope !0, !noalias !3
  %80 = insertelement <8 x float> %73, float %79, i64 1
  %81 = add i64 %i04, 2
  %82 = add nuw nsw i64 0, %81
  %83 = mul nuw nsw i64 %82, 12
  %84 = add nuw nsw i64 %83, %r1
  %85 = getelementptr inbounds float, float* %x, i64 %84
  %86 = load float, float* %85, align 4, !alias.scope !0, !noalias !3
  %87 = insertelement <8 x float> %80, float %86, i64 2
  %88 = add i64 %i04, 3
  %89 = add nuw nsw i64 0, %88
  %90 = mul nuw nsw i64 %89, 12
  %91 = add nuw nsw i64 %90, %r1
  %92 = getelementptr inbounds float, float* %x, i64 %91
  %93 = load float, float* %92, align 4, !alias.scope !0, !noalias !3
  %94 = insertelement <8 x float> %87, float %93, i64 3
  %95 = add i64 %i04, 4
  %96 = add nuw nsw i64 0, %95
  %97 = mul nuw nsw i64 %96, 12
  %98 = add nuw nsw i64 %97, %r1
  %99 = getelementptr inbounds float, float* %x, i64 %98
  %100 = load float, float* %99, align 4, !alias.scope !0, !noalias !3
  %101 = insertelement <8 x float> %94, float %100, i64 4
  %102 = add i64 %i04, 5
  %103 = add nuw nsw i64 0, %102
  %104 = mul nuw nsw i64 %103, 12
  %105 = add nuw nsw i64 %104, %r1
  %106 = getelementptr inbounds float, float* %x, i64 %105
  %107 = load float, float* %106, align 4, !alias.scope !0, !noalias !3
  %108 = insertelement <8 x float> %101, float %107, i64 5
  %109 = add i64 %i04, 6
  %110 = add nuw nsw i64 0, %109
  %111 = mul nuw nsw i64 %110, 12
  %112 = add nuw nsw i64 %111, %r1
  %113 = getelementptr inbounds float, float* %x, i64 %112
  %114 = load float, float* %113, align 4, !alias.scope !0, !noalias !3
  %115 = insertelement <8 x float> %108, float %114, i64 6
  %116 = add i64 %i04, 7
  %117 = add nuw nsw i64 0, %116
  %118 = mul nuw nsw i64 %117, 12
  %119 = add nuw nsw i64 %118, %r1
  %120 = getelementptr inbounds float, float* %x, i64 %119
  %121 = load float, float* %120, align 4, !alias.scope !0, !noalias !3
  %122 = insertelement <8 x float> %115, float %121, i64 7
  %123 = load <8 x float>, <8 x float>* %tile2, align 32
  %124 = call reassoc arcp contract <8 x float> @llvm.maxnum.v8f32(<8 x float> %123, <8 x float> %122)
  store <8 x float> %124, <8 x float>* %tile2, align 32
  %r1.next = add nuw nsw i64 %r1, 1
  br label %r1.head

r1.exit:                                          ; preds = %r1.head
  %125 = mul i64 %group0, 16
  %i05 = add i64 %125, 0
  %126 = load <8 x float>, <8 x float>* %tile, align 32
  %127 = add nuw nsw i64 0, %i05
  %128 = getelementptr inbounds float, float* %y, i64 %127
  %129 = bitcast float* %128 to <8 x float>*
  store <8 x float> %126, <8 x float>* %129, align 4, !alias.scope !7, !noalias !8
  %130 = mul i64 %group0, 16
  %i06 = add i64 %130, 8
  %131 = load <8 x float>, <8 x float>* %tile2, align 32
  %132 = add nuw nsw i64 0, %i06
  %133 = getelementptr inbounds float, float* %y, i64 %132
  %134 = bitcast float* %133 to <8 x float>*
  store <8 x float> %131, <8 x float>* %134, align 4, !alias.scope !7, !noalias !8
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head
}

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare <8 x float> @llvm.maxnum.v8f32(<8 x float>, <8 x float>) #1

attributes #0 = { nounwind }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }

!0 = !{!1}
!1 = distinct !{!1, !2, !"x"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6}
!4 = distinct !{!4, !2, !"x.pack"}
!5 = distinct !{!5, !2, !"y"}
!6 = distinct !{!6, !2, !"y.pack"}
!7 = !{!5}
!8 = !{!1, !4, !6}
