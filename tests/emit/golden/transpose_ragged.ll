; ModuleID = 'transpose_ragged'
source_filename = "transpose_ragged"

; Function Attrs: nounwind
define void @transpose_ragged(i8** noalias %buffers) #0 {
entry:
  %0 = getelementptr inbounds i8*, i8** %buffers, i64 0
  %x.raw = load i8*, i8** %0, align 8
  %x = bitcast i8* %x.raw to float*
  %1 = getelementptr inbounds i8*, i8** %buffers, i64 1
  %y.raw = load i8*, i8** %1, align 8
  %y = bitcast i8* %y.raw to float*
  br label %group0.head

group0.head:                                      ; preds = %i1.exit, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %i1.exit ]
  %2 = icmp slt i64 %group0, 3
  br i1 %2, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  %3 = mul i64 %group0, 4
  br label %i1.head

group0.exit:                                      ; preds = %group0.head
  ret void

i1.head:                                          ; preds = %i0.i.exit, %group0.body
  %i1 = phi i64 [ 0, %group0.body ], [ %i1.next, %i0.i.exit ]
  %4 = icmp slt i64 %i1, 6
  br i1 %4, label %i1.body, label %i1.exit

i1.body:                                          ; preds = %i1.head
  br label %i0.i.head

i1.exit:                                          ; preds = %i1.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

i0.i.head:                                        ; preds = %guard.done, %i1.body
  %i0.i = phi i64 [ 0, %i1.body ], [ %i0.i.next, %guard.done ]
  %5 = icmp slt i64 %i0.i, 4
  br i1 %5, label %i0.i.body, label %i0.i.exit

i0.i.body:                                        ; preds = %i0.i.head
  %6 = mul i64 %group0, 4
  %i0 = add i64 %6, %i0.i
  %7 = icmp slt i64 %i0, 10
  br i1 %7, label %guard.in, label %guard.done

i0.i.exit:                                        ; preds = %i0.i.head
  %i1.next = add nuw nsw i64 %i1, 1
  br label %i1.head

guard.in:                                         ; preds = %i0.i.body
  %8 = add nuw nsw i64 0, %i1
  %9 = mul nuw nsw i64 %8, 10
  %10 = add nuw nsw i64 %9, %i0
  %11 = getelementptr inbounds float, float* %x, i64 %10
  %12 = load float, float* %11, align 4, !alias.scope !0, !noalias !3
  %13 = add nuw nsw i64 0, %i0
  %14 = mul nuw nsw i64 %13, 6
  %15 = add nuw nsw i64 %14, %i1
  %16 = getelementptr inbounds float, float* %y, i64 %15
  store float %12, float* %16, align 4, !alias.scope !7, !noalias !8
  br label %guard.done

guard.done:                                       ; preds = %guard.in, %i0.i.body
  %i0.i.next = add nuw nsw i64 %i0.i, 1
  br label %i0.i.head
}

attributes #0 = { nounwind }

!0 = !{!1}
!1 = distinct !{!1, !2, !"x"}
!2 = distinct !{!2, !"axon.buffers"}
!3 = !{!4, !5, !6}
!4 = distinct !{!4, !2, !"x.pack"}
!5 = distinct !{!5, !2, !"y"}
!6 = distinct !{!6, !2, !"y.pack"}
!7 = !{!5}
!8 = !{!1, !4, !6}
