; ModuleID = 'elementwise'
source_filename = "elementwise"

; Function Attrs: nounwind
define void @elementwise(i8** noalias %buffers) #0 {
entry:
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %a.raw = load i8*, i8** %0, align 8
  %a = bitcast i8* %a.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %b.raw = load i8*, i8** %1, align 8
  %b = bitcast i8* %b.raw to float*
  %2 = getelementptr inbounds i8*, i8** %buffers, i64 2
  %c.raw = load i8*, i8** %2, align 8
  %c = bitcast i8* %c.raw to float*
  br label %group0.head

group0.head:                                      ; preds = %_b1.exit, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %_b1.exit ]
  %3 = icmp slt i64 %group0, 4
  br i1 %3, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  br label %_b1.head

group0.exit:                                      ; preds = %group0.head
  ret void

_b1.head:                                         ; preds = %_b1.body, %group0.body
  %_b1 = phi i64 [ 0, %group0.body ], [ %_b1.next, %_b1.body ]
  %4 = icmp slt i64 %_b1, 16
  br i1 %4, label %_b1.body, label %_b1.exit

_b1.body:                                         ; preds = %_b1.head
  %5 = add nuw nsw i64 0, %group0
  %6 = mul nuw nsw i64 %5, 16
  %7 = add nuw nsw i64 %6, %_b1
  %8 = getelementptr inbounds float, float* %b, i64 %7
  %9 = load float, float* %8, align 4, !alias.scope !0, !noalias !3
  %10 = add nuw nsw i64 0, %group0
  %11 = mul nuw nsw i64 %10, 16
  %12 = add nuw nsw i64 %11, %_b1
  %13 = getelementptr inbounds float, float* %a, i64 %12
  %14 = load float, float* %13, align 4, !alias.scope !9, !noalias !10
  %15 = fadd reassoc arcp contract float %14, %9
  %16 = add nuw nsw i64 0, %group0
  %17 = mul nuw nsw i64 %16, 16
  %18 = add nuw nsw i64 %17, %_b1
  %19 = getelementptr inbounds float, float* %c, i64 %18
  store float %15, float* %19, align 4, !alias.scope !11, !noalias !12
  %_b1.next = add nuw nsw i64 %_b1, 1
  br label %_b1.head, !llvm.loop !13

_b1.exit:                                         ; preds = %_b1.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head
}

attributes #0 = { nounwind }

!0 = !{!1}
!1 = distinct !{!1, !2, !"b"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6, !7, !8}
!4 = distinct !{!4, !2, !"a"}
!5 = distinct !{!5, !2, !"a.pack"}
!6 = distinct !{!6, !2, !"b.pack"}
!7 = distinct !{!7, !2, !"c"}
!8 = distinct !{!8, !2, !"c.pack"}
!9 = !{!4}
!10 = !{!5, !1, !6, !7, !8}
!11 = !{!7}
!12 = !{!4, !5, !1, !6, !8}
!13 = distinct !{!13, !14}
!14 = !{!"llvm.loop.vectorize.enable", i1 true}
