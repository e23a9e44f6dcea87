; ModuleID = 'gelu_tanh_vector_math'
source_filename = "gelu_tanh_vector_math"

; Function Attrs: nounwind
define void @gelu_tanh_vector_math(i8** noalias %buffers) #0 {
entry:
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %x.raw = load i8*, i8** %0, align 8
  %x = bitcast i8* %x.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %y.raw = load i8*, i8** %1, align 8
  %y = bitcast i8* %y.raw to float*
  br label %group0.head

group0.head:                                      ; preds = %_b1.v.exit, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %_b1.v.exit ]
  %2 = icmp slt i64 %group0, 2
  br i1 %2, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  br label %_b1.v.head

group0.exit:                                      ; preds = %group0.head
  ret void

_b1.v.head:                                       ; preds = %_b1.v.body, %group0.body
  %_b1.v = phi i64 [ 0, %group0.body ], [ %_b1.v.next, %_b1.v.body ]
  %3 = icmp slt i64 %_b1.v, 2
  br i1 %3, label %_b1.v.body, label %_b1.v.exit

_b1.v.body:                                       ; preds = %_b1.v.head
  %4 = mul i64 %_b1.v, 8
  %5 = add nuw nsw i64 0, %group0
  %6 = mul nuw nsw i64 %5, 16
  %7 = add nuw nsw i64 %6, %4
  %8 = getelementptr inbounds float, float* %x, i64 %7
  %9 = bitcast float* %8 to <8 x float>*
  %10 = load <8 x float>, <8 x float>* %9, align 4, !alias.scope !0, !noalias !3
  %11 = add nuw nsw i64 0, %group0
  %12 = mul nuw nsw i64 %11, 16
  %13 = add nuw nsw i64 %12, %4
  %14 = getelementptr inbounds float, float* %x, i64 %13
  %15 = bitcast float* %14 to <8 x float>*
  %16 = load <8 x float>, <8 x float>* %15, align 4, !alias.scope !0, !noalias !3
  %17 = add nuw nsw i64 0, %group0
  %18 = mul nuw nsw i64 %17, 16
  %19 = add nuw nsw i64 %18, %4
  %20 = getelementptr inbounds float, float* %x, i64 %19
  %21 = bitcast float* %20 to <8 x float>*
  %22 = load <8 x float>, <8 x float>* %21, align 4, !alias.scope !0, !noalias !3
  %23 = fmul reassoc arcp contract <8 x float> <float 0x3FA6E4E260000000, float 0x3FA6E4E260000000, float 0x3FA6E4E260000000, float 0x3FA6E4E260000000, float 0x3FA6E4E260000000, float 0x3FA6E4E260000000, float 0x3FA6E4E260000000, float 0x3FA6E4E260000000>, %22
  %24 = fmul reassoc arcp contract <8 x float> %23, %16
  %25 = fmul reassoc arcp contract <8 x float> %24, %10
  %26 = add nuw nsw i64 0, %group0
  %27 = mul nuw nsw i64 %26, 16
  %28 = add nuw nsw i64 %27, %4
  %29 = getelementptr inbounds float, float* %x, i64 %28
  %30 = bitcast float* %29 to <8 x float>*
  %31 = load <8 x float>, <8 x float>* %30, align 4, !alias.scope !0, !noalias !3
  %32 = fadd reassoc arcp contract <8 x float> %31, %25
  %33 = fmul reassoc arcp contract <8 x float> <float 0x3FE9884540000000, float 0x3FE9884540000000, float 0x3FE9884540000000, float 0x3FE9884540000000, float 0x3FE9884540000000, float 0x3FE9884540000000, float 0x3FE9884540000000, float 0x3FE9884540000000>, %32
  %34 = call reassoc arcp contract <8 x float> @_ZGVdN8v_tanhf(<8 x float> %33)
  %35 = fadd reassoc arcp contract <8 x float> <float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00, float 1.000000e+00>, %34
  %36 = add nuw nsw i64 0, %group0
  %37 = mul nuw nsw i64 %36, 16
  %38 = add nuw nsw i64 %37, %4
  %39 = getelementptr inbounds float, float* %x, i64 %38
  %40 = bitcast float* %39 to <8 x float>*
  %41 = load <8 x float>, <8 x float>* %40, align 4, !alias.scope !0, !noalias !3
  %42 = fmul reassoc arcp contract <8 x float> <float 5.000000e-01, float 5.000000e-01, float 5.000000e-01, float 5.000000e-01, float 5.000000e-01, float 5.000000e-01, float 5.000000e-01, float 5.000000e-01>, %41
  %43 = fmul reassoc arcp contract <8 x float> %42, %35
  %44 = add nuw nsw i64 0, %group0
  %45 = mul nuw nsw i64 %44, 16
  %46 = add nuw nsw i64 %45, %4
  %47 = getelementptr inbounds float, float* %y, i64 %46
  %48 = bitcast float* %47 to <8 x float>*
  store <8 x float> %43, <8 x float>* %48, align 4, !alias.scope !7, !noalias !8
  %_b1.v.next = add nuw nsw i64 %_b1.v, 1
  br label %_b1.v.head

_b1.v.exit:                                       ; preds = %_b1.v.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head
}

; Function Attrs: nounwind readnone willreturn
declare <8 x float> @_ZGVdN8v_tanhf(<8 x float>) #1

attributes #0 = { nounwind }
attributes #1 = { nounwind readnone willreturn }

!0 = !{!1}
!1 = distinct !{!1, !2, !"x"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6}
!4 = distinct !{!4, !2, !"x.pack"}
!5 = distinct !{!5, !2, !"y"}
!6 = distinct !{!6, !2, !"y.pack"}
!7 = !{!5}
!8 = !{!1, !4, !6}
