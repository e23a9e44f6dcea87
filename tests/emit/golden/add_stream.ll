; ModuleID = 'add_stream'
source_filename = "add_stream"

; Function Attrs: nounwind
define void @add_stream(i8** noalias %buffers) #0 {
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

group0.head:                                      ; preds = %_b1.v.exit, %entry
  %group0 = phi i64 [ 0, %entry ], [ %group0.next, %_b1.v.exit ]
  %3 = icmp slt i64 %group0, 4
  br i1 %3, label %group0.body, label %group0.exit

group0.body:                                      ; preds = %group0.head
  br label %_b1.v.head

group0.exit:                                      ; preds = %group0.head
  fence seq_cst
  ret void

_b1.v.head:                                       ; preds = %store.done, %group0.body
  %_b1.v = phi i64 [ 0, %group0.body ], [ %_b1.v.next, %store.done ]
  %4 = icmp slt i64 %_b1.v, 2
  br i1 %4, label %_b1.v.body, label %_b1.v.exit

_b1.v.body:                                       ; preds = %_b1.v.head
  %5 = mul i64 %_b1.v, 8
  %6 = add nuw nsw i64 0, %group0
  %7 = mul nuw nsw i64 %6, 16
  %8 = add nuw nsw i64 %7, %5
  %9 = getelementptr inbounds float, float* %b, i64 %8
  %10 = bitcast float* %9 to <8 x float>*
  %11 = load <8 x float>, <8 x float>* %10, align 4, !alias.scope !0, !noalias !3
  %12 = add nuw nsw i64 0, %group0
  %13 = mul nuw nsw i64 %12, 16
  %14 = add nuw nsw i64 %13, %5
  %15 = getelementptr inbounds float, float* %a, i64 %14
  %16 = bitcast float* %15 to <8 x float>*
  %17 = load <8 x float>, <8 x float>* %16, align 4, !alias.scope !9, !noalias !10
  %18 = fadd reassoc arcp contract <8 x float> %17, %11
  %19 = add nuw nsw i64 0, %group0
  %20 = mul nuw nsw i64 %19, 16
  %21 = add nuw nsw i64 %20, %5
  %22 = getelementptr inbounds float, float* %c, i64 %21
  %23 = bitcast float* %22 to <8 x float>*
  %24 = ptrtoint <8 x float>* %23 to i64
  %25 = and i64 %24, 31
  %26 = icmp eq i64 %25, 0
  br i1 %26, label %store.stream, label %store.plain

_b1.v.exit:                                       ; preds = %_b1.v.head
  %group0.next = add nuw nsw i64 %group0, 1
  br label %group0.head

store.stream:                                     ; preds = %_b1.v.body
  store <8 x float> %18, <8 x float>* %23, align 32, !alias.scope !11, !noalias !12, !nontemporal !13
  br label %store.done

store.plain:                                      ; preds = %_b1.v.body
  store <8 x float> %18, <8 x float>* %23, align 4, !alias.scope !11, !noalias !12
  br label %store.done

store.done:                                       ; preds = %store.plain, %store.stream
  %_b1.v.next = add nuw nsw i64 %_b1.v, 1
  br label %_b1.v.head
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
!13 = !{i32 1}
